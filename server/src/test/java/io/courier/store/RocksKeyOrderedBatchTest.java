package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A key-ordered batch leaves the database as the same operations in a plain {@link WriteBatch}, in
 * the order they were asked, do: puts and deletes of the same key in one batch, keys whose bytes
 * compare differently signed and unsigned, keys that are prefixes of others.
 */
class RocksKeyOrderedBatchTest {
  @TempDir Path dir;

  private static final byte[] END = {(byte) 0xFF};

  @Test
  void theDatabaseEndsAsWithTheOperationsInTheOrderAsked() throws RocksDBException {
    try (RocksDatabase plain = RocksDatabase.open(dir.resolve("plain"), RocksTuning.defaults());
        RocksDatabase ordered =
            RocksDatabase.open(dir.resolve("ordered"), RocksTuning.defaults())) {
      Random random = new Random(20);
      for (int round = 0; round < 20; round++) {
        RocksKeyOrderedBatch sorted = new RocksKeyOrderedBatch();
        try (WriteBatch asked = new WriteBatch()) {
          for (int i = 0; i < 300; i++) {
            int family = random.nextInt(3);
            byte[] key = key(random);
            if (random.nextInt(3) == 0) {
              asked.delete(family(plain, family), key);
              sorted.delete(family(ordered, family), key);
            } else {
              byte[] value = new byte[random.nextInt(4)];
              random.nextBytes(value);
              asked.put(family(plain, family), key, value);
              sorted.put(family(ordered, family), key, value);
            }
          }
          plain.write(asked, round % 2 == 0);
          sorted.write(ordered, round % 2 == 0);
        }
      }

      for (int family = 0; family < 3; family++) {
        Map<ByteBuffer, ByteBuffer> expected = rows(plain, family(plain, family));
        assertFalse(expected.isEmpty());
        assertEquals(expected, rows(ordered, family(ordered, family)), "family " + family);
      }
    }
  }

  /** A key of 1 to 3 bytes below 0xFF from a small set: repeated, signed and unsigned apart. */
  private static byte[] key(Random random) {
    byte[] key = new byte[1 + random.nextInt(3)];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) List.of(0x01, 0x7F, 0x80, 0xFE).get(random.nextInt(4)).intValue();
    }
    return key;
  }

  private static ColumnFamilyHandle family(RocksDatabase db, int index) {
    return switch (index) {
      case 0 -> db.offline;
      case 1 -> db.inbox;
      default -> db.expiry;
    };
  }

  private static Map<ByteBuffer, ByteBuffer> rows(RocksDatabase db, ColumnFamilyHandle family) {
    Map<ByteBuffer, ByteBuffer> rows = new HashMap<>();
    db.scan(
        family,
        new byte[0],
        END,
        false,
        (key, value) -> {
          rows.put(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
          return true;
        });
    return rows;
  }
}
