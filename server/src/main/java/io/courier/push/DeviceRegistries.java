package io.courier.push;

import io.courier.config.CourierConfig;
import io.courier.config.StoreBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Opens the registry of devices that goes with the configured message store. */
public final class DeviceRegistries {
  /** The directory of the embedded registry under {@code data.dir}. */
  public static final String EMBEDDED_DIR = "devices";

  private DeviceRegistries() {}

  /**
   * The MySQL registry on the store's shards when {@code store.backend} is {@code mysql}, else the
   * RocksDB one under {@code <data.dir>/devices}.
   */
  public static Future<DeviceRegistry> open(Vertx vertx, CourierConfig config) {
    return config.storeBackend() == StoreBackend.MYSQL
        ? MySqlDeviceRegistry.open(vertx, config.mysqlShards())
        : RocksDeviceRegistry.open(vertx, Path.of(config.dataDir(), EMBEDDED_DIR));
  }
}
