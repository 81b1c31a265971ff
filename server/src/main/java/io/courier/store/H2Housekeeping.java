package io.courier.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the H2 file from growing without bound: it rewrites the live pages of mostly empty chunks
 * into new ones, so that the old chunks are freed and their space reused — the work H2's background
 * writer does, which {@code WRITE_DELAY=0} switches off together with the delayed writes (see
 * {@link EmbeddedStore}).
 *
 * <p>Why it is needed: each commit writes a chunk holding every page it changed, and the store's
 * random-key indexes (by receiver, owner, sender) spread each batch over many pages, so a chunk is
 * soon mostly dead but a few of its pages stay live for long. Without rewriting, such a chunk is
 * never freed: at 2,000 messages/s, each accepted and then acknowledged, 400,000 messages left a
 * 4.6 GB file over about 65 MB of live data; with this housekeeping, 300,000 messages left 300 MB.
 *
 * <p>It reaches the {@link MVStore} through H2's engine classes ({@code
 * JdbcConnection.getSession()} and on), public but not a documented API. Should that path change in
 * a later H2, the store logs a warning and works on, durable and correct, only with a file that
 * grows. The SQL alternatives were rejected: {@code SHUTDOWN COMPACT} closes the database, and
 * {@code SET WRITE_DELAY} back above 0 would restart the background writer, whose asynchronous
 * writes are what made acknowledged commits lost on {@code kill -9}.
 */
final class H2Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

  /** How often the file is compacted. */
  static final long INTERVAL_MS = 200;

  /** Chunks are rewritten while the live share of all chunks is below this percentage. */
  static final int TARGET_FILL_RATE = 60;

  /**
   * Live bytes moved per run, at most: bounds how long a run holds H2's store lock and delays
   * commits.
   */
  static final int WRITE_LIMIT_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final Connection anchor;
  private final MVStore mvStore;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;
  private Future<Void> current = Future.succeededFuture();

  /**
   * @param anchor a connection to the database, held open until {@link #stop()}: it keeps the
   *     {@link MVStore} valid, and a compaction never reopens a database the store has closed
   */
  H2Housekeeping(Vertx vertx, Connection anchor) throws SQLException {
    this.vertx = vertx;
    this.anchor = anchor;
    this.mvStore = mvStoreOf(anchor);
  }

  /**
   * The H2 store behind {@code connection}, or null when this H2 does not expose it as expected.
   */
  private static MVStore mvStoreOf(Connection connection) throws SQLException {
    try {
      SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
      return session.getDatabase().getStore().getMvStore();
    } catch (ClassCastException | LinkageError e) {
      LOG.warn(
          "cannot reach H2's MVStore ({}); the database file will not be compacted while open",
          e.toString());
      return null;
    }
  }

  /** Whether this H2 exposed its store, so that the file is compacted while open. */
  boolean compacts() {
    return mvStore != null;
  }

  synchronized void start() {
    if (mvStore != null && timer == -1) {
      timer = vertx.setPeriodic(INTERVAL_MS, id -> compact());
    }
  }

  private synchronized void compact() {
    if (timer == -1 || !running.compareAndSet(false, true)) {
      return;
    }
    current =
        vertx
            .<Void>executeBlocking(
                () -> {
                  if (mvStore.compact(TARGET_FILL_RATE, WRITE_LIMIT_BYTES)) {
                    mvStore.commit();
                  }
                  return null;
                })
            .onFailure(
                e -> {
                  // A failing MVStore is a closed or broken database, which the store's own futures
                  // report; one line here.
                  LOG.warn("compaction of the H2 file failed, stopping it: {}", e.toString());
                  pause();
                })
            .eventually(
                () -> {
                  running.set(false);
                  return Future.succeededFuture();
                });
  }

  /** Stops compacting; completes when a run in progress has ended. */
  synchronized Future<Void> pause() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return current.otherwiseEmpty().mapEmpty();
  }

  /** Stops compacting and releases the anchor connection: the last one closes the database. */
  Future<Void> stop() {
    return pause()
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      anchor.close();
                      return null;
                    }));
  }
}
