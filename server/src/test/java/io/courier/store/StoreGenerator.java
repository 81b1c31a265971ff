package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.rocksdb.WriteBatch;

/**
 * Writes a large embedded store straight into RocksDB, in the store's own format, for the start-up
 * measurement of docs/benchmarks.md (section 12): qos-1 offline messages of 100 random characters
 * spread over receivers round-robin, with their expiry and never-given keys, each receiver's count
 * and floor, and the highest msgid — what the same messages stored through the node would leave.
 * Writing through the store's API (bench's {@code StoreFill}) makes the same rows, at the group
 * commit's pace.
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/courier.jar io.courier.store.StoreGenerator DIR MESSAGES RECEIVERS
 * </pre>
 */
final class StoreGenerator {
  private static final int ROWS_PER_WRITE = 20_000;

  private StoreGenerator() {}

  /**
   * 100 random lower-case letters and spaces: compressed only by entropy coding (ZSTD, not LZ4), so
   * about what chat text takes at worst; a repeated character would compress to nothing and hide
   * the disk a real message takes.
   */
  static String text(Random random) {
    char[] text = new char[100];
    for (int i = 0; i < text.length; i++) {
      int c = random.nextInt(27);
      text[i] = c == 26 ? ' ' : (char) ('a' + c);
    }
    return new String(text);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).resolve(EmbeddedStore.DIRECTORY);
    long messages = Long.parseLong(args[1]);
    int receivers = Integer.parseInt(args[2]);
    Files.createDirectories(dir);
    long start = System.nanoTime();
    long now = System.currentTimeMillis();
    Map<ByteBuffer, RocksRows.Inbox> inboxes = new HashMap<>();
    Random random = new Random(18);
    try (RocksDatabase db = RocksDatabase.open(dir, RocksTuning.defaults())) {
      WriteBatch batch = new WriteBatch();
      for (long msgid = 1; msgid <= messages; msgid++) {
        Message message =
            new Message(
                msgid,
                Kind.S2C,
                "",
                0,
                "user" + (msgid % receivers),
                101,
                1,
                text(random),
                now,
                "log-" + msgid);
        byte[] inbox = RocksKeys.inbox(message.toUid(), message.toAppcode());
        byte[] key = RocksKeys.withMsgid(inbox, msgid);
        batch.put(db.offline, key, RocksRows.message(message));
        batch.put(db.ungiven, key, new byte[0]);
        batch.put(db.expiry, RocksKeys.expiry(RocksKeys.EXPIRY_OFFLINE, now, key), new byte[0]);
        inboxes.merge(
            ByteBuffer.wrap(inbox),
            RocksRows.Inbox.EMPTY.added(msgid),
            (a, b) -> new RocksRows.Inbox(a.waiting() + 1, Math.min(a.floor(), b.floor())));
        if (msgid % ROWS_PER_WRITE == 0) {
          db.write(batch, false);
          batch.close();
          batch = new WriteBatch();
        }
      }
      for (Map.Entry<ByteBuffer, RocksRows.Inbox> inbox : inboxes.entrySet()) {
        batch.put(db.inbox, inbox.getKey().array(), RocksRows.inbox(inbox.getValue()));
      }
      batch.put(
          db.meta, RocksWrites.maxMsgidKey(), new RocksKeys.Builder(8).number(messages).bytes());
      db.write(batch, true);
      batch.close();
      db.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "wrote %,d offline messages for %,d receivers in %.1f s%n", messages, receivers, seconds);
  }
}
