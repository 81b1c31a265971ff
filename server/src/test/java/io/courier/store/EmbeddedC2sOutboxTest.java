package io.courier.store;

import io.vertx.core.Future;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedC2sOutboxTest extends C2sOutboxContract {
  @TempDir Path dataDir;

  @Override
  protected Future<C2sOutbox> openOutbox() {
    return C2sOutboxes.embedded(vertx, dataDir.toString());
  }
}
