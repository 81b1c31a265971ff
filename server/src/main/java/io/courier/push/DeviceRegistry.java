package io.courier.push;

import io.courier.protocol.body.PushProvider;
import io.vertx.core.Future;
import java.util.List;

/**
 * The registered devices, keyed by {@code (uid, appcode, device)}, kept across restarts: MySQL
 * shards in production ({@link MySqlDeviceRegistry}), RocksDB under the data directory on an
 * embedded node ({@link RocksDeviceRegistry}). Apart from the message store, whose contract is
 * about messages.
 *
 * <p>A token is registered to one key at a time: registering a token that another key holds (a
 * second user logged in on the same phone) moves it, so one phone is never woken for two users.
 */
public interface DeviceRegistry {

  /** Registers {@code device}, replacing its key's registration and moving its token to it. */
  Future<Void> register(Device device);

  /** Removes the registration of {@code (uid, appcode, device)}; true when there was one. */
  Future<Boolean> unregister(String uid, int appcode, String device);

  /** The registrations of {@code (uid, appcode)}, one per device; empty when none. */
  Future<List<Device>> devices(String uid, int appcode);

  /**
   * {@code provider} reported {@code token} dead (the app was uninstalled): removes the
   * registration that holds it; true when one did.
   */
  Future<Boolean> removeDead(PushProvider provider, String token);

  Future<Void> close();
}
