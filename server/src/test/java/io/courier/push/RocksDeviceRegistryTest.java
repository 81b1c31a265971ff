package io.courier.push;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contract on the embedded RocksDB registry, in a fresh directory per test. */
class RocksDeviceRegistryTest extends DeviceRegistryContract {
  private Path dir;

  @Override
  protected Future<DeviceRegistry> open() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("courier-devices").resolve("devices");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return RocksDeviceRegistry.open(vertx, dir);
  }
}
