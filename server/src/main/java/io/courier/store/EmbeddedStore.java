package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

/**
 * The embedded message store: a {@link SqlMessageStore} on an H2 database in one file, {@code
 * <dataDir>/courier.mv.db}, created with its directory when missing.
 *
 * <p>Durability. H2 2.3 does not write a transaction to the file when it commits: its MVStore
 * writes the changes of all sessions as one chunk from a background thread every {@code
 * WRITE_DELAY} ms (default 500), so a process killed after a commit loses up to that much
 * acknowledged work ({@code EmbeddedStoreCrashTest} lost about 1,000 of 10,000 acknowledged
 * messages that way). With {@code WRITE_DELAY=0} there is no background writer, and every commit
 * that changed something writes its chunk to the file before it returns (MVStore's {@code
 * TransactionStore.endTransaction} calls {@code MVStore.commit()} when the auto-commit delay is 0),
 * so a commit future that completed is on disk as far as {@code kill -9} goes: the data is in the
 * operating system's page cache, which outlives the process. It is not forced to the device ({@code
 * fsync}): a power loss may lose the last commits, or with the short retention below damage the
 * file; production runs on MySQL. Keeping the background writer and running {@code CHECKPOINT}
 * after each commit was rejected: when the background writer has just taken the changes but not yet
 * written them, {@code CHECKPOINT} finds nothing to store and returns before they are on disk.
 *
 * <p>Space. {@code WRITE_DELAY=0} also stops H2's background compaction, and a chunk per commit
 * leaves the file mostly dead chunks, so {@link H2Housekeeping} does the compaction instead. {@code
 * RETENTION_TIME=1000} lets the space of a freed chunk be reused after 1 s rather than H2's 45 s,
 * which at thousands of messages per second is the difference between tens of MB and GB held by
 * dead chunks. The 45 s guard against a disk reordering writes across a power loss, which this
 * store does not claim to survive anyway.
 *
 * <p>Other settings: {@code MODE=MySQL} and {@code DATABASE_TO_LOWER=TRUE} let H2 run the MySQL DML
 * of {@link SqlMessageStore} ({@code ON DUPLICATE KEY UPDATE}, {@code DELETE ... LIMIT}) with
 * lower-case names. The file lock is H2's default {@code FILE_LOCK=FS}, a lock on the file itself:
 * the operating system releases it when the process dies, and H2 when the last connection closes
 * ({@code DB_CLOSE_DELAY=0}, the default), which {@link MessageStore#close()} does, so the same
 * process can open the directory again. A second process gets "Database may be already in use" and
 * the open fails.
 *
 * <p>Only {@link #open} creates the database; the pools connect with {@code IFEXISTS=TRUE}. A
 * connection made later, after the database was shut down or its file removed, then fails instead
 * of creating an empty database and answering from it.
 */
public final class EmbeddedStore {
  /** The database is {@code <dataDir>/courier.mv.db}. */
  public static final String DATABASE_NAME = "courier";

  /** Connections for PULL, HISTORY and maxMsgid, beside the one that writes. */
  public static final int DEFAULT_READ_CONNECTIONS = 4;

  /**
   * Reads that may wait for a connection; one more fails at once (503) rather than queuing without
   * bound.
   */
  public static final int DEFAULT_MAX_QUEUED_READS = 10_000;

  /**
   * H2's conventional administrator; the database is protected by the permissions of its directory.
   */
  private static final String USER = "sa";

  private static final String PASSWORD = "";

  private EmbeddedStore() {}

  /**
   * Opens the store with {@link SqlStoreOptions#defaults()}; it is usable (schema created) when
   * this completes.
   */
  public static Future<MessageStore> open(Vertx vertx, String dataDir) {
    return open(vertx, dataDir, SqlStoreOptions.defaults());
  }

  public static Future<MessageStore> open(Vertx vertx, String dataDir, SqlStoreOptions options) {
    Path dir;
    String url;
    try {
      dir = Path.of(dataDir).toAbsolutePath().normalize();
      url = jdbcUrl(dir);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .fileSystem()
        .mkdirs(dir.toString())
        .compose(v -> vertx.executeBlocking(() -> DriverManager.getConnection(url, USER, PASSWORD)))
        .compose(
            anchor -> {
              H2Housekeeping housekeeping;
              try {
                housekeeping = new H2Housekeeping(vertx, anchor);
              } catch (Exception e) {
                return vertx
                    .executeBlocking(
                        () -> {
                          anchor.close();
                          return null;
                        })
                    .transform(closed -> Future.failedFuture(e));
              }
              JDBCConnectOptions connect =
                  new JDBCConnectOptions()
                      .setJdbcUrl(url + ";IFEXISTS=TRUE")
                      .setUser(USER)
                      .setPassword(PASSWORD)
                      // The store never reads generated keys; asking for them costs a metadata call
                      // and a result per insert.
                      .setAutoGeneratedKeys(false);
              Pool writes = JDBCPool.pool(vertx, connect, new PoolOptions().setMaxSize(1));
              Pool reads =
                  JDBCPool.pool(
                      vertx,
                      connect,
                      new PoolOptions()
                          .setMaxSize(DEFAULT_READ_CONNECTIONS)
                          .setMaxWaitQueueSize(DEFAULT_MAX_QUEUED_READS));
              Store store =
                  new Store(
                      new SqlMessageStore(vertx, writes, reads, SqlDialect.H2, options),
                      housekeeping);
              return store
                  .open()
                  .<MessageStore>map(store)
                  .recover(e -> store.close().transform(closed -> Future.failedFuture(e)));
            });
  }

  /** The JDBC URL of the database in {@code dir}, an absolute path. */
  static String jdbcUrl(Path dir) {
    String path = dir.resolve(DATABASE_NAME).toString();
    if (path.indexOf(';') >= 0) {
      throw new IllegalArgumentException("the data directory must not contain ';': " + dir);
    }
    return "jdbc:h2:file:"
        + path
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;RETENTION_TIME=1000";
  }

  /** The SQL store with the housekeeping of its file, which runs from open to close. */
  private static final class Store implements MessageStore {
    private final SqlMessageStore sql;
    private final H2Housekeeping housekeeping;

    Store(SqlMessageStore sql, H2Housekeeping housekeeping) {
      this.sql = sql;
      this.housekeeping = housekeeping;
    }

    @Override
    public Future<Void> open() {
      return sql.open().onSuccess(v -> housekeeping.start());
    }

    /**
     * Housekeeping stops first; the anchor connection closes last, and with it the database and its
     * lock.
     */
    @Override
    public Future<Void> close() {
      return housekeeping.pause().eventually(sql::close).eventually(housekeeping::stop);
    }

    @Override
    public Future<Void> ping() {
      return sql.ping();
    }

    @Override
    public Future<Long> maxMsgid() {
      return sql.maxMsgid();
    }

    @Override
    public Future<Accepted> acceptC2c(Message message, String cmid) {
      return sql.acceptC2c(message, cmid);
    }

    @Override
    public Future<Void> storeOffline(List<Message> messages) {
      return sql.storeOffline(messages);
    }

    @Override
    public Future<Pulled> pull(String uid, int appcode, long after, int limit) {
      return sql.pull(uid, appcode, after, limit);
    }

    @Override
    public Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
      return sql.removeOfflineUpTo(uid, appcode, upto);
    }

    @Override
    public Future<Integer> removeOfflineListed(String uid, int appcode, List<Long> msgids) {
      return sql.removeOfflineListed(uid, appcode, msgids);
    }

    @Override
    public Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
      return sql.removeOffline(uid, appcode, msgid);
    }

    @Override
    public Future<Page> history(String owner, String peer, long before, int limit) {
      return sql.history(owner, peer, before, limit);
    }

    @Override
    public Future<Integer> purgeExpired(long now) {
      return sql.purgeExpired(now);
    }
  }
}
