package io.courier.store;

import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.C2sMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded {@link C2sOutbox}: a small RocksDB database of its own in {@code
 * <dataDir>/c2s-outbox}, beside the message store's, so that neither store's format depends on the
 * other. The embedded store serves one node (a clustered node with the logic role needs MySQL), so
 * claims are kept in memory: a restart forgets them, and what was claimed is handed over again.
 *
 * <p>Keys, all in the default column family ({@code uid} is its length as one byte, then its bytes;
 * numbers are big-endian, so keys sort as their numbers):
 *
 * <ul>
 *   <li>{@code 'D' uid appcode(4) cmid} → {@code msgid(8) senddate(8)}: the send-dedup of C2S
 *   <li>{@code 'Q' uid appcode(4) msgtype(4) seq(8)} → the message as JSON: a queue, in order
 *   <li>{@code 'M' msgid(8)} → its {@code Q} key: a resend of a waiting message is not stored twice
 *   <li>{@code 'E' senddate(8) key} → empty: every {@code D} and {@code Q} key by date, for the
 *       retention purge
 *   <li>{@code 'S'} → the last seq given
 * </ul>
 *
 * <p>RocksDB's calls block: each runs on a worker thread. Writes are synced, and run side by side,
 * so that RocksDB syncs concurrent ones together (its group commit): a cmid costs a share of an
 * fsync, not one of its own. Two calls of one cmid are serialized by a lock of its hash (so a
 * resend racing the first sees it); appending to a queue is serialized by one lock (the cap and the
 * seq), which only qos-1 C2S that found no consumer take.
 */
final class RocksC2sOutbox implements C2sOutbox {
  /** The directory of the database, in the data directory. */
  static final String DIRECTORY = "c2s-outbox";

  private static final byte DEDUP = 'D';
  private static final byte QUEUE = 'Q';
  private static final byte MSGID = 'M';
  private static final byte EXPIRY = 'E';
  private static final byte[] SEQ = {'S'};
  private static final int PURGE_BATCH = 1_000;

  /** Locks of the cmids, by hash: two resends of one cmid are serialized, different cmids not. */
  private static final int CMID_LOCKS = 64;

  private static final long WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

  static {
    RocksDB.loadLibrary();
  }

  private final Vertx vertx;
  private final Path dir;
  private final Map<Long, Long> claims = new ConcurrentHashMap<>();
  private final Object[] cmidLocks = new Object[CMID_LOCKS];
  private final Object storeLock = new Object();
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile Options options;
  private volatile RocksDB db;
  private volatile boolean closed;
  private long seq; // guarded by storeLock

  RocksC2sOutbox(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dir = dataDir.resolve(DIRECTORY);
    for (int i = 0; i < CMID_LOCKS; i++) {
      cmidLocks[i] = new Object();
    }
  }

  @Override
  public Future<Void> open() {
    return exclusive(
        () -> {
          Files.createDirectories(dir);
          options =
              new Options()
                  .setCreateIfMissing(true)
                  .setWriteBufferSize(WRITE_BUFFER_BYTES)
                  .setMaxWriteBufferNumber(2)
                  .setKeepLogFileNum(2);
          db = RocksDB.open(options, dir.toString());
          byte[] last = db.get(SEQ);
          seq = last == null ? 0 : ByteBuffer.wrap(last).getLong();
          return null;
        });
  }

  @Override
  public Future<Void> close() {
    return exclusive(
        () -> {
          closed = true;
          if (db != null) {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
              db.flush(flush);
            }
            db.close();
            db = null;
            options.close();
          }
          return null;
        });
  }

  @Override
  public Future<Remembered> remember(
      String fromUid, int fromAppcode, String cmid, long msgid, long senddate) {
    return blocking(
        () -> {
          byte[] key = key(DEDUP, fromUid, fromAppcode, cmid.getBytes(StandardCharsets.UTF_8));
          synchronized (cmidLocks[Math.floorMod(Arrays.hashCode(key), cmidLocks.length)]) {
            byte[] first = db.get(key);
            if (first != null) {
              ByteBuffer value = ByteBuffer.wrap(first);
              return new Remembered(value.getLong(), value.getLong(), true);
            }
            try (WriteBatch batch = new WriteBatch()) {
              batch.put(key, ByteBuffer.allocate(16).putLong(msgid).putLong(senddate).array());
              batch.put(expiry(senddate, key), new byte[0]);
              write(batch);
            }
            return new Remembered(msgid, senddate, false);
          }
        });
  }

  @Override
  public Future<Boolean> hasWaiting(String fromUid, int fromAppcode, int msgtype) {
    return blocking(
        () -> {
          byte[] prefix =
              key(QUEUE, fromUid, fromAppcode, ByteBuffer.allocate(4).putInt(msgtype).array());
          return count(prefix, 1) > 0;
        });
  }

  @Override
  public Future<Boolean> store(C2sMessage message, int maxPerSender) {
    return blocking(
        () -> {
          byte[] msgidKey = ByteBuffer.allocate(9).put(MSGID).putLong(message.msgid()).array();
          synchronized (storeLock) {
            if (db.get(msgidKey) != null) {
              return false;
            }
            byte[] sender = key(QUEUE, message.fromUid(), message.fromAppcode(), new byte[0]);
            if (maxPerSender > 0 && count(sender, maxPerSender) >= maxPerSender) {
              throw new C2sOutboxFullException(
                  message.fromUid(), message.fromAppcode(), maxPerSender);
            }
            long next = seq + 1;
            byte[] key =
                key(
                    QUEUE,
                    message.fromUid(),
                    message.fromAppcode(),
                    ByteBuffer.allocate(12).putInt(message.msgtype()).putLong(next).array());
            try (WriteBatch batch = new WriteBatch()) {
              batch.put(key, message.toJson().toBuffer().getBytes());
              batch.put(msgidKey, key);
              batch.put(expiry(message.senddate(), key), new byte[0]);
              batch.put(SEQ, ByteBuffer.allocate(8).putLong(next).array());
              write(batch);
            }
            seq = next;
            return true;
          }
        });
  }

  @Override
  public Future<List<Waiting>> heads(int limit, long now) {
    return blocking(
        () -> {
          List<Waiting> heads = new ArrayList<>();
          try (ReadOptions read = new ReadOptions();
              RocksIterator entries = db.newIterator(read)) {
            entries.seek(new byte[] {QUEUE});
            while (entries.isValid() && entries.key()[0] == QUEUE && heads.size() < limit) {
              byte[] key = entries.key();
              long headSeq = ByteBuffer.wrap(key, key.length - 8, 8).getLong();
              Long until = claims.get(headSeq);
              if (until == null || until < now) {
                heads.add(new Waiting(headSeq, message(entries.value())));
              }
              // past the rest of this queue: its prefix followed by the highest seq
              byte[] next = Arrays.copyOf(key, key.length);
              Arrays.fill(next, key.length - 8, key.length, (byte) 0xFF);
              entries.seek(next);
            }
          }
          return heads;
        });
  }

  @Override
  public Future<Boolean> claim(Waiting head, long now, long until) {
    return blocking(
        () -> {
          if (db.get(msgidKey(head)) == null) {
            return false;
          }
          boolean[] claimed = {false};
          claims.compute(
              head.seq(),
              (seq, held) -> {
                if (held != null && held >= now) {
                  return held;
                }
                claimed[0] = true;
                return until;
              });
          return claimed[0];
        });
  }

  @Override
  public Future<Void> release(Waiting head) {
    return blocking(
        () -> {
          claims.remove(head.seq());
          return null;
        });
  }

  @Override
  public Future<Void> remove(Waiting head) {
    return blocking(
        () -> {
          claims.remove(head.seq());
          byte[] msgidKey = msgidKey(head);
          byte[] key = db.get(msgidKey);
          if (key != null) {
            try (WriteBatch batch = new WriteBatch()) {
              batch.delete(key);
              batch.delete(msgidKey);
              batch.delete(expiry(head.message().senddate(), key));
              write(batch);
            }
          }
          return null;
        });
  }

  @Override
  public Future<Integer> purge(long before) {
    return blocking(
        () -> {
          int messages = 0;
          try (WriteBatch batch = new WriteBatch();
              Slice upper = new Slice(ByteBuffer.allocate(9).put(EXPIRY).putLong(before).array());
              ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator entries = db.newIterator(read)) {
            int rows = 0;
            for (entries.seek(new byte[] {EXPIRY});
                entries.isValid() && rows < PURGE_BATCH;
                entries.next(), rows++) {
              byte[] expiryKey = entries.key();
              byte[] key = Arrays.copyOfRange(expiryKey, 9, expiryKey.length);
              batch.delete(expiryKey);
              if (key[0] == QUEUE) {
                byte[] value = db.get(key);
                if (value != null) {
                  batch.delete(
                      ByteBuffer.allocate(9).put(MSGID).putLong(message(value).msgid()).array());
                  messages++;
                }
              }
              batch.delete(key);
            }
            if (rows > 0) {
              write(batch);
            }
          }
          return messages;
        });
  }

  private int count(byte[] prefix, int max) {
    int count = 0;
    try (Slice upper = new Slice(upperBound(prefix));
        ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator entries = db.newIterator(read)) {
      for (entries.seek(prefix); entries.isValid() && count < max; entries.next()) {
        count++;
      }
    }
    return count;
  }

  /** The first key after every key that starts with {@code prefix}. */
  private static byte[] upperBound(byte[] prefix) {
    byte[] bound = Arrays.copyOf(prefix, prefix.length);
    for (int i = bound.length - 1; i >= 0; i--) {
      if (bound[i] != (byte) 0xFF) {
        bound[i]++;
        return Arrays.copyOf(bound, i + 1);
      }
    }
    throw new IllegalArgumentException("no key follows a prefix of 0xFF bytes");
  }

  private void write(WriteBatch batch) throws RocksDBException {
    try (WriteOptions sync = new WriteOptions().setSync(true)) {
      db.write(sync, batch);
    }
  }

  private static byte[] msgidKey(Waiting head) {
    return ByteBuffer.allocate(9).put(MSGID).putLong(head.message().msgid()).array();
  }

  private static byte[] key(byte kind, String uid, int appcode, byte[] rest) {
    byte[] id = uid.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + id.length + 4 + rest.length)
        .put(kind)
        .put((byte) id.length)
        .put(id)
        .putInt(appcode)
        .put(rest)
        .array();
  }

  private static byte[] expiry(long senddate, byte[] key) {
    return ByteBuffer.allocate(9 + key.length).put(EXPIRY).putLong(senddate).put(key).array();
  }

  private static C2sMessage message(byte[] json) throws MalformedBodyException {
    return C2sMessage.fromJson(new JsonObject(new String(json, StandardCharsets.UTF_8)));
  }

  /** Runs {@code work} on a worker thread, beside other calls (RocksDB groups their syncs). */
  private <T> Future<T> blocking(Callable<T> work) {
    return run(work, lifecycle.readLock());
  }

  /** Runs {@code work} on a worker thread, alone: opening and closing. */
  private <T> Future<T> exclusive(Callable<T> work) {
    return run(work, lifecycle.writeLock());
  }

  private <T> Future<T> run(Callable<T> work, Lock lock) {
    return vertx
        .<Future<T>>executeBlocking(
            () -> {
              lock.lock();
              try {
                if (closed) {
                  return Future.<T>failedFuture(new IllegalStateException("C2S outbox is closed"));
                }
                return Future.succeededFuture(work.call());
              } finally {
                lock.unlock();
              }
            },
            false)
        .compose(done -> done);
  }
}
