package io.courier.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded message store, the default: a RocksDB database in {@code <dataDir>/messages},
 * created with its directories when missing ({@link RocksMessageStore}, {@link RocksDatabase}).
 *
 * <p>One process at a time: RocksDB locks the directory ({@code LOCK}), and a second process fails
 * to open it ("lock hold by current process" / "Resource temporarily unavailable"). The operating
 * system releases the lock when the process dies; {@link MessageStore#close()} releases it too, so
 * the same process can open the directory again.
 *
 * <p>A data directory that holds the H2 file of an earlier Courier ({@value #H2_FILE}) is refused
 * with a message that says how to copy it into a new directory ({@code migrate-store}, {@link
 * H2Migration}): starting an empty store beside it would hide every message it holds.
 */
public final class EmbeddedStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);

  /** The RocksDB database is this directory of the data directory. */
  public static final String DIRECTORY = "messages";

  /** The file of the H2 store of Courier before RocksDB, in the data directory. */
  public static final String H2_FILE = "courier.mv.db";

  private EmbeddedStore() {}

  /** Opens the store with the default tuning; it is usable when this completes. */
  public static Future<MessageStore> open(Vertx vertx, String dataDir, SqlStoreOptions options) {
    return open(vertx, dataDir, options, RocksTuning.defaults());
  }

  public static Future<MessageStore> open(Vertx vertx, String dataDir) {
    return open(vertx, dataDir, SqlStoreOptions.defaults());
  }

  public static Future<MessageStore> open(
      Vertx vertx, String dataDir, SqlStoreOptions options, RocksTuning tuning) {
    return vertx
        .<RocksMessageStore>executeBlocking(
            () -> {
              Path dir = Path.of(dataDir).toAbsolutePath().normalize();
              refuseH2(dir);
              Path files = dir.resolve(DIRECTORY);
              Files.createDirectories(files);
              long start = System.nanoTime();
              RocksDatabase database = RocksDatabase.open(files, tuning);
              LOG.info(
                  "embedded message store {} opened in {} ms",
                  files,
                  (System.nanoTime() - start) / 1_000_000);
              try {
                return new RocksMessageStore(vertx, database, options);
              } catch (RocksDBException | RuntimeException e) {
                database.close();
                throw e;
              }
            })
        .compose(
            store ->
                store
                    .open()
                    .<MessageStore>map(store)
                    .recover(e -> store.close().transform(closed -> Future.failedFuture(e))));
  }

  /** Fails when {@code dir} holds an H2 store, saying how to migrate it. */
  static void refuseH2(Path dir) {
    if (Files.exists(dir.resolve(H2_FILE))) {
      throw new IllegalStateException(
          dir
              + " holds the H2 message store of an earlier Courier ("
              + H2_FILE
              + "); this Courier keeps its messages in RocksDB and does not read H2 files. With the"
              + " node stopped, copy it into a new data directory: java -jar courier.jar "
              + "migrate-store --from "
              + dir
              + " --to <new directory>, then start the node with COURIER_DATA_DIR=<new directory>"
              + " (docs/storage.md, section 2.7)");
    }
  }
}
