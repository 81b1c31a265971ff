package io.courier;

import io.courier.config.CourierConfig;
import io.courier.config.PresenceBackend;
import io.courier.config.StoreBackend;
import io.courier.presence.LocalPresenceStore;
import io.courier.presence.PresenceStore;
import io.courier.presence.RedisPresenceStore;
import io.courier.presence.SharedDataPresenceStore;
import io.courier.store.C2sOutbox;
import io.courier.store.C2sOutboxes;
import io.courier.store.EmbeddedStore;
import io.courier.store.MessageStore;
import io.courier.store.MySqlStore;
import io.courier.store.RocksTuning;
import io.courier.store.SqlStoreOptions;
import io.courier.store.StartupRetry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.concurrent.TimeUnit;

/** Builds the presence and message stores the configuration names. */
final class Backends {
  /** Longest wait for the message store to open (schema checks and migrations included). */
  static final long STORE_OPEN_SECONDS = 60;

  private Backends() {}

  static PresenceStore presence(Vertx vertx, CourierConfig config) {
    if (config.presenceBackend() == PresenceBackend.REDIS) {
      Redis redis = Redis.createClient(vertx, RedisPresenceStore.clientOptions(config.redisUrl()));
      return new RedisPresenceStore(redis, config.presenceTtlSeconds());
    }
    return vertx.isClustered() ? new SharedDataPresenceStore(vertx) : new LocalPresenceStore();
  }

  /**
   * Opens the message store, or fails after {@value #STORE_OPEN_SECONDS} s. MySQL shards that do
   * not answer yet (started with the node, or a first connection that timed out on a loaded
   * machine) are tried again until then ({@link StartupRetry}); the embedded store fails at once,
   * since waiting would not change a wrong or locked data directory.
   */
  static Future<MessageStore> store(Vertx vertx, CourierConfig config) {
    SqlStoreOptions options =
        SqlStoreOptions.defaults()
            .withQuotas(
                config.offlineMaxPerUser(), config.offlineRetention(), config.historyRetention());
    Future<MessageStore> opening =
        config.storeBackend() == StoreBackend.MYSQL
            ? StartupRetry.open(
                vertx,
                "message store",
                TimeUnit.SECONDS.toMillis(STORE_OPEN_SECONDS),
                () -> MySqlStore.open(vertx, config.mysqlShards(), options))
            : EmbeddedStore.open(
                vertx,
                config.dataDir(),
                options,
                RocksTuning.ofMegabytes(config.storeBlockCacheMb(), config.storeWriteBufferMb()));
    return opening.timeout(STORE_OPEN_SECONDS, TimeUnit.SECONDS);
  }

  /** Opens the C2S outbox beside the message store, on the same backend. */
  static Future<C2sOutbox> c2sOutbox(Vertx vertx, CourierConfig config) {
    Future<C2sOutbox> opening =
        config.storeBackend() == StoreBackend.MYSQL
            ? C2sOutboxes.mysql(vertx, config.mysqlShards())
            : C2sOutboxes.embedded(vertx, config.dataDir());
    return opening.timeout(STORE_OPEN_SECONDS, TimeUnit.SECONDS);
  }
}
