package io.courier.store;

import io.vertx.core.Future;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The group contract on the embedded RocksDB store. */
class EmbeddedGroupStoreTest extends GroupStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    return EmbeddedStore.open(vertx, dataDir.toString(), options, RocksTuning.ofMegabytes(8, 8));
  }
}
