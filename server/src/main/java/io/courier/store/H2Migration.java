package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Copies the H2 message store of an earlier Courier ({@code <from>/courier.mv.db}, schema versions
 * 1 to 4) into a new embedded store in {@code <to>/messages}: every offline row with its delivery
 * state, every history row and every remembered cmid, with the highest msgid. The node must be
 * stopped: H2 locks its file, and a running node makes the copy fail at once.
 *
 * <p>The copy is written into {@code <to>/messages.migrating} and renamed to {@code messages} once
 * complete and flushed, so an interrupted copy leaves no store that looks whole; running the
 * command again starts that copy over. The H2 file is only read.
 *
 * <p>This is why the node still carries H2's driver: for this command only. The store itself never
 * opens H2.
 */
public final class H2Migration {
  /** The last H2 schema version; the columns read here are the same since version 1. */
  static final int LAST_H2_SCHEMA = 4;

  /** Rows per write: large enough to amortize a write, small enough to bound its memory. */
  private static final int ROWS_PER_WRITE = 10_000;

  /** What was copied. */
  public record Copied(long offline, long neverGiven, long history, long cmids, long maxMsgid) {}

  private H2Migration() {}

  /**
   * Copies the store; blocks. Fails, copying nothing into {@code to}'s store, when {@code from}
   * holds no H2 store, when {@code to} already holds a store, or when H2 cannot be read.
   *
   * @param progress receives a line per table copied
   */
  public static Copied run(Path from, Path to, RocksTuning tuning, Consumer<String> progress)
      throws IOException, SQLException, RocksDBException {
    Path source = from.toAbsolutePath().normalize();
    Path target = to.toAbsolutePath().normalize();
    if (!Files.isRegularFile(source.resolve(EmbeddedStore.H2_FILE))) {
      throw new IllegalArgumentException(
          source + " holds no H2 message store (" + EmbeddedStore.H2_FILE + ")");
    }
    if (Files.exists(target.resolve(EmbeddedStore.H2_FILE))) {
      throw new IllegalArgumentException(
          target
              + " holds an H2 store ("
              + EmbeddedStore.H2_FILE
              + "), where a node would refuse to start: give another --to directory");
    }
    Path finished = target.resolve(EmbeddedStore.DIRECTORY);
    if (Files.exists(finished)) {
      throw new IllegalArgumentException(
          finished + " already exists: give a --to directory without a message store");
    }
    Path partial = target.resolve(EmbeddedStore.DIRECTORY + ".migrating");
    deleteTree(partial);
    Files.createDirectories(partial);
    Copied copied;
    try (Connection h2 = DriverManager.getConnection(jdbcUrl(source), "sa", "")) {
      int version = schemaVersion(h2);
      if (version < 1 || version > LAST_H2_SCHEMA) {
        throw new IllegalArgumentException(
            "the H2 store has schema version "
                + version
                + "; this command copies versions 1 to "
                + LAST_H2_SCHEMA);
      }
      try (RocksDatabase db = RocksDatabase.open(partial, tuning)) {
        copied = new Copy(db).run(h2, progress);
        db.flush();
      }
    }
    Files.move(partial, finished, StandardCopyOption.ATOMIC_MOVE);
    return copied;
  }

  /**
   * The URL of the H2 store in {@code dir}, as the H2 store of earlier Courier versions opened it:
   * MySQL mode with lower-case names, and only if the file exists. The results stream ({@code
   * LAZY_QUERY_EXECUTION}) rather than being held whole.
   */
  static String jdbcUrl(Path dir) {
    return "jdbc:h2:file:"
        + dir.resolve("courier")
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE;LAZY_QUERY_EXECUTION=TRUE";
  }

  private static int schemaVersion(Connection h2) throws SQLException {
    try (Statement statement = h2.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version FROM schema_version WHERE id = 1")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** One copy: the rows in batches, then the per-receiver counts and the highest msgid. */
  private static final class Copy {
    private final RocksDatabase db;
    private final Map<ByteBuffer, RocksRows.Inbox> inboxes = new HashMap<>();
    private WriteBatch batch = new WriteBatch();
    private long maxMsgid;

    Copy(RocksDatabase db) {
      this.db = db;
    }

    Copied run(Connection h2, Consumer<String> progress) throws SQLException, RocksDBException {
      try {
        long[] offline = copyOffline(h2);
        progress.accept(
            "offline_message: " + offline[0] + " rows (" + offline[1] + " never given)");
        long history = copyHistory(h2);
        progress.accept("user_message: " + history + " rows");
        long cmids = copyDedup(h2);
        progress.accept("send_dedup: " + cmids + " rows");
        for (Map.Entry<ByteBuffer, RocksRows.Inbox> inbox : inboxes.entrySet()) {
          batch.put(db.inbox, inbox.getKey().array(), RocksRows.inbox(inbox.getValue()));
        }
        batch.put(
            db.meta, RocksWrites.maxMsgidKey(), new RocksKeys.Builder(8).number(maxMsgid).bytes());
        db.write(batch, true);
        return new Copied(offline[0], offline[1], history, cmids, maxMsgid);
      } finally {
        batch.close();
      }
    }

    /** Returns the rows copied and how many of them were never given. */
    private long[] copyOffline(Connection h2) throws SQLException, RocksDBException {
      long rows = 0;
      long neverGiven = 0;
      try (Statement statement = h2.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT msgid, kind, from_uid, from_appcode, to_uid, to_appcode, msgtype,"
                      + " msgcontent, senddate, logid, state FROM offline_message")) {
        while (row.next()) {
          Message message = message(row);
          byte[] key = RocksKeys.offline(message.toUid(), message.toAppcode(), message.msgid());
          batch.put(db.offline, key, RocksRows.message(message));
          batch.put(
              db.expiry,
              RocksKeys.expiry(RocksKeys.EXPIRY_OFFLINE, message.senddate(), key),
              new byte[0]);
          if (row.getInt("state") == 0) {
            batch.put(db.ungiven, key, new byte[0]);
            neverGiven++;
          }
          inboxes.merge(
              ByteBuffer.wrap(RocksKeys.inbox(message.toUid(), message.toAppcode())),
              RocksRows.Inbox.EMPTY.added(message.msgid()),
              (a, b) -> new RocksRows.Inbox(a.waiting() + 1, Math.min(a.floor(), b.floor())));
          counted(message.msgid(), ++rows);
        }
      }
      return new long[] {rows, neverGiven};
    }

    private long copyHistory(Connection h2) throws SQLException, RocksDBException {
      long rows = 0;
      try (Statement statement = h2.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT owner_uid, peer_uid, msgid, kind, from_uid, from_appcode, to_uid,"
                      + " to_appcode, msgtype, msgcontent, senddate, logid FROM user_message")) {
        while (row.next()) {
          Message message = message(row);
          byte[] key =
              RocksKeys.history(
                  row.getString("owner_uid"), row.getString("peer_uid"), message.msgid());
          batch.put(db.history, key, RocksRows.message(message));
          batch.put(
              db.expiry,
              RocksKeys.expiry(RocksKeys.EXPIRY_HISTORY, message.senddate(), key),
              new byte[0]);
          counted(message.msgid(), ++rows);
        }
      }
      return rows;
    }

    private long copyDedup(Connection h2) throws SQLException, RocksDBException {
      long rows = 0;
      try (Statement statement = h2.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT from_uid, from_appcode, cmid, msgid, senddate FROM send_dedup")) {
        while (row.next()) {
          long msgid = row.getLong("msgid");
          long senddate = row.getLong("senddate");
          byte[] key =
              RocksKeys.dedup(
                  row.getString("from_uid"), row.getInt("from_appcode"), row.getString("cmid"));
          batch.put(db.dedup, key, RocksRows.dedup(msgid, senddate));
          batch.put(
              db.expiry, RocksKeys.expiry(RocksKeys.EXPIRY_DEDUP, senddate, key), new byte[0]);
          counted(msgid, ++rows);
        }
      }
      return rows;
    }

    /** Notes the msgid of a row copied, and writes the batch every ROWS_PER_WRITE rows. */
    private void counted(long msgid, long rows) throws RocksDBException {
      maxMsgid = Math.max(maxMsgid, msgid);
      if (rows % ROWS_PER_WRITE == 0) {
        db.write(batch, false);
        batch.close();
        batch = new WriteBatch();
      }
    }

    private static Message message(ResultSet row) throws SQLException {
      return new Message(
          row.getLong("msgid"),
          Kind.fromWire(row.getString("kind")),
          row.getString("from_uid"),
          row.getInt("from_appcode"),
          row.getString("to_uid"),
          row.getInt("to_appcode"),
          row.getInt("msgtype"),
          row.getString("msgcontent"),
          row.getLong("senddate"),
          row.getString("logid"));
    }
  }
}
