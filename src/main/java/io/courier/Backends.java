package io.courier;

import io.courier.config.CourierConfig;
import io.courier.presence.PresenceStore;
import io.courier.presence.RedisPresenceStore;
import io.courier.presence.SharedDataPresenceStore;
import io.courier.store.EmbeddedStore;
import io.courier.store.MessageStore;
import io.courier.store.MySqlStore;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Builds the presence and message stores the configuration names. */
final class Backends {
  /** Redis commands waiting for a connection before new ones fail at once (503): no unbounded queue. */
  private static final int REDIS_MAX_WAITING = 2048;
  private static final int REDIS_CONNECT_TIMEOUT_MS = 2_000;

  private Backends() {
  }

  static PresenceStore presence(Vertx vertx, CourierConfig config) {
    if (config.presenceBackend().equals("redis")) {
      Redis redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(config.redisUrl())
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(REDIS_MAX_WAITING)
        .setMaxWaitingHandlers(REDIS_MAX_WAITING)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(REDIS_CONNECT_TIMEOUT_MS).setTcpNoDelay(true)));
      return new RedisPresenceStore(redis, config.presenceTtlSeconds());
    }
    return new SharedDataPresenceStore(vertx);
  }

  static Future<MessageStore> store(Vertx vertx, CourierConfig config) {
    if (config.storeBackend().equals("mysql")) {
      return MySqlStore.open(vertx, config.mysqlShards(), SqlStoreOptions.defaults());
    }
    return EmbeddedStore.open(vertx, config.dataDir());
  }
}
