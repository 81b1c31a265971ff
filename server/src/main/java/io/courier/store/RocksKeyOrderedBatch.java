package io.courier.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The puts and deletes of one atomic write, handed to RocksDB as one {@link WriteBatch} whose
 * operations are in key order within each column family. The operations on one key keep their
 * order, so the write leaves every key as the same operations in the order they were asked would.
 *
 * @implNote RocksDB inserts a batch into each family's memtable, a skip list, one operation after
 *     the other, and starts each search from where the previous insert ended: an insert after the
 *     previous key reuses the levels that still bracket it, one before it searches from the top.
 *     The writes of a group commit are in arrival order, which is random in the keys of the
 *     offline, {@code ungiven} and inbox families (one receiver after another), so every insert
 *     searched from the top: half of the writer thread's CPU time was that search ({@code
 *     InlineSkipList::FindSpliceForLevel}, perf, S2C at qos 1). The rejected alternative, RocksDB's
 *     insert hints per key prefix, is not exposed by RocksJava and would need a prefix extractor
 *     for keys whose inbox prefix has no fixed length.
 */
final class RocksKeyOrderedBatch {
  /** One put ({@code value} not null) or delete. */
  private record Operation(byte[] key, byte[] value) {}

  /** RocksDB's default order of keys: bytes compared unsigned, a prefix first. */
  private static final Comparator<Operation> KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.key, b.key);

  // by identity: RocksJava's ColumnFamilyHandle.hashCode and equals read the family's name
  // through JNI
  private final Map<ColumnFamilyHandle, List<Operation>> families = new IdentityHashMap<>();
  private int count;

  void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
    add(family, new Operation(key, value));
  }

  void delete(ColumnFamilyHandle family, byte[] key) {
    add(family, new Operation(key, null));
  }

  private void add(ColumnFamilyHandle family, Operation operation) {
    families.computeIfAbsent(family, f -> new ArrayList<>()).add(operation);
    count++;
  }

  /** The operations asked, repeated ones included. */
  int count() {
    return count;
  }

  /**
   * Writes the operations as one atomic {@link WriteBatch}, synced when {@code sync}; blocks. The
   * sort is stable: the operations on one key keep their order.
   */
  void write(RocksDatabase db, boolean sync) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<ColumnFamilyHandle, List<Operation>> family : families.entrySet()) {
        List<Operation> operations = family.getValue();
        operations.sort(KEY_ORDER);
        for (Operation operation : operations) {
          if (operation.value == null) {
            batch.delete(family.getKey(), operation.key);
          } else {
            batch.put(family.getKey(), operation.key, operation.value);
          }
        }
      }
      db.write(batch, sync);
    }
  }
}
