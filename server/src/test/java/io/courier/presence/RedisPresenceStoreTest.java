package io.courier.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.SessionRef;
import io.courier.testkit.LocalServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The presence contract against the real Redis, plus what only Redis has: expiry, refreshed in
 * batches.
 */
class RedisPresenceStoreTest extends PresenceStoreContract {
  private static final int TTL_SECONDS = 600;
  private Redis redis;
  private CountingRedis counting;

  @BeforeAll
  static void redisRuns() {
    LocalServices.requireRedis();
  }

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    redis = Redis.createClient(vertx, LocalServices.REDIS_URL);
    counting = new CountingRedis(redis);
    return new RedisPresenceStore(counting, TTL_SECONDS);
  }

  @Test
  void recordsExpireUnlessRefreshedAndOneRefreshIsOneBatch() {
    List<SessionRef> sessions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      SessionRef session = new SessionRef(uid("ttl" + i), 101, node("gate"), "gate." + i, 1);
      store.put(session).await();
      sessions.add(session);
    }
    String someUser = RedisPresenceStore.USER_KEY + uid("ttl7");
    assertTrue(ttl(someUser) > 0 && ttl(someUser) <= TTL_SECONDS, "a record carries a TTL");
    redis.send(Request.cmd(Command.EXPIRE).arg(someUser).arg(5)).await();
    redis
        .send(Request.cmd(Command.EXPIRE).arg(RedisPresenceStore.NODE_KEY + node("gate")).arg(5))
        .await();

    int sendsBefore = counting.sends.get();
    int batchesBefore = counting.batches.get();
    store.refresh(node("gate"), sessions).await();
    assertEquals(sendsBefore, counting.sends.get(), "a refresh sends no single commands");
    assertEquals(
        batchesBefore + 1, counting.batches.get(), "a refresh of 50 sessions is one batch");
    assertTrue(ttl(someUser) > 5, "the refresh restored the TTL");
    assertTrue(
        ttl(RedisPresenceStore.NODE_KEY + node("gate")) > 5, "the node index is refreshed too");
  }

  private long ttl(String key) {
    return redis.send(Request.cmd(Command.TTL).arg(key)).await().toLong();
  }

  /** The real client, counting how the store talks to it. */
  private static final class CountingRedis implements Redis {
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();
    private final Redis delegate;

    CountingRedis(Redis delegate) {
      this.delegate = delegate;
    }

    @Override
    public Future<RedisConnection> connect() {
      return delegate.connect();
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }

    @Override
    public Future<Response> send(Request request) {
      sends.incrementAndGet();
      return delegate.send(request);
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      batches.incrementAndGet();
      return delegate.batch(requests);
    }
  }
}
