package io.courier.testkit.fakes;

import io.courier.protocol.body.PushProvider;
import io.courier.push.Device;
import io.courier.push.DeviceRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link DeviceRegistry} in memory, with the contract of the real ones ({@code
 * DeviceRegistryContract}); {@link #failing} makes every call fail, as a registry that is down.
 */
public final class InMemoryDeviceRegistry implements DeviceRegistry {
  private final Map<String, Device> byKey = new TreeMap<>();
  private volatile boolean failing;

  /** From now on every call fails (true) or works again (false). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public synchronized Future<Void> register(Device device) {
    if (failing) {
      return down();
    }
    byKey.values().removeIf(held -> sameToken(held, device.provider(), device.token()));
    byKey.put(key(device.uid(), device.appcode(), device.device()), device);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> unregister(String uid, int appcode, String device) {
    if (failing) {
      return down();
    }
    return Future.succeededFuture(byKey.remove(key(uid, appcode, device)) != null);
  }

  @Override
  public synchronized Future<List<Device>> devices(String uid, int appcode) {
    if (failing) {
      return down();
    }
    List<Device> devices = new ArrayList<>();
    for (Device device : byKey.values()) {
      if (device.uid().equals(uid) && device.appcode() == appcode) {
        devices.add(device);
      }
    }
    return Future.succeededFuture(devices);
  }

  @Override
  public synchronized Future<Boolean> removeDead(PushProvider provider, String token) {
    if (failing) {
      return down();
    }
    return Future.succeededFuture(
        byKey.values().removeIf(held -> sameToken(held, provider, token)));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static boolean sameToken(Device device, PushProvider provider, String token) {
    return device.provider() == provider && device.token().equals(token);
  }

  private static String key(String uid, int appcode, String device) {
    return uid + "\0" + appcode + "\0" + device;
  }

  private static <T> Future<T> down() {
    return Future.failedFuture(new IllegalStateException("device registry down (test)"));
  }
}
