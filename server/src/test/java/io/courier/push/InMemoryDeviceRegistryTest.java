package io.courier.push;

import io.courier.testkit.fakes.InMemoryDeviceRegistry;
import io.vertx.core.Future;

/** The fake the unit tests use keeps the contract of the real registries. */
class InMemoryDeviceRegistryTest extends DeviceRegistryContract {
  private final InMemoryDeviceRegistry kept = new InMemoryDeviceRegistry();

  @Override
  protected Future<DeviceRegistry> open() {
    return Future.succeededFuture(kept);
  }
}
