package io.courier.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.SessionRef;
import io.courier.testkit.LocalServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The presence contract against the real Redis, plus what only Redis has: expiry, refreshed in
 * batches.
 */
class RedisPresenceStoreTest extends PresenceStoreContract {
  private static final int TTL_SECONDS = 600;

  /** The shortest TTL the configuration allows: a refresh every second. */
  private static final int SHORT_TTL_SECONDS = 3;

  /** Enough refresh periods to outlive the short TTL more than once. */
  private static final int PERIODS = 5;

  private static final int MANY = 20_000;
  private Redis redis;
  private CountingRedis counting;

  @BeforeAll
  static void redisRuns() {
    LocalServices.requireRedis();
  }

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    redis = Redis.createClient(vertx, RedisPresenceStore.clientOptions(LocalServices.REDIS_URL));
    counting = new CountingRedis(redis);
    return new RedisPresenceStore(counting, TTL_SECONDS);
  }

  /** A burst of lookups leaves in pipelined batches, not one command per user. */
  @Test
  void aBurstOfLookupsIsPipelinedInBatches() {
    int users = 1_000;
    int sendsBefore = counting.sends.get();
    int batchesBefore = counting.batches.get();
    Promise<Void> answered = Promise.promise();
    vertx.runOnContext(
        v -> {
          List<Future<List<SessionRef>>> lookups = new ArrayList<>();
          for (int i = 0; i < users; i++) {
            lookups.add(store.sessions(uid("nobody" + i)));
          }
          Future.all(lookups).<Void>mapEmpty().onComplete(answered);
        });
    answered.future().await();
    int commands = counting.sends.get() - sendsBefore + counting.batches.get() - batchesBefore;
    assertTrue(
        commands <= RedisPresenceStore.LOOKUP_LANES + users / RedisPresenceStore.LOOKUP_CHUNK + 1,
        commands + " sends and batches for " + users + " lookups");
  }

  @Test
  void recordsExpireUnlessRefreshedAndARefreshOfFiftyIsOneCommand() {
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
    assertEquals(sendsBefore + 1, counting.sends.get(), "a refresh of 50 sessions is one script");
    assertEquals(batchesBefore, counting.batches.get(), "a refresh pipelines no batch");
    assertTrue(ttl(someUser) > 5, "the refresh restored the TTL");
    assertTrue(
        ttl(RedisPresenceStore.NODE_KEY + node("gate")) > 5, "the node index is refreshed too");
  }

  /**
   * A node of 20,000 sessions: every record outlives several TTLs while the node refreshes, and a
   * mass disconnect removes them all at once, each removal still removing only its own session's
   * record.
   */
  @Test
  void twentyThousandSessionsStayPresentAcrossRefreshesAndAMassRemovalLeavesNoRecord()
      throws TimeoutException {
    PresenceStore shortLived = new RedisPresenceStore(counting, SHORT_TTL_SECONDS);
    List<SessionRef> sessions = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      sessions.add(new SessionRef(uid("many" + i), 101, node("big"), "big." + i, i));
    }
    shortLived.refresh(node("big"), sessions).await(30, TimeUnit.SECONDS);
    assertEquals(0, missing(sessions), "the first refresh put every record back");

    long periodMs = SHORT_TTL_SECONDS * 1000L / 3;
    for (int period = 1; period <= PERIODS; period++) {
      vertx.timer(periodMs, TimeUnit.MILLISECONDS).await();
      assertEquals(0, missing(sessions), "records missing before refresh " + period);
      shortLived.refresh(node("big"), sessions).await(30, TimeUnit.SECONDS);
    }

    List<SessionRef> replaced = new ArrayList<>();
    List<SessionRef> stillOwn = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      if (i % 1000 == 0) {
        SessionRef newer = new SessionRef(uid("many" + i), 101, node("other"), "other." + i, i);
        shortLived.put(newer).await();
        replaced.add(newer);
      } else {
        stillOwn.add(sessions.get(i));
      }
    }
    List<Future<Boolean>> removals = new ArrayList<>(MANY);
    int sendsBefore = counting.sends.get();
    sessions.forEach(session -> removals.add(shortLived.remove(session)));
    Future.join(removals).await(60, TimeUnit.SECONDS);
    assertTrue(
        counting.sends.get() - sendsBefore < MANY / 20,
        "the removals were coalesced: " + (counting.sends.get() - sendsBefore) + " commands");
    long removed = removals.stream().filter(Future::result).count();
    assertEquals(MANY - replaced.size(), removed, "every session's own record was removed");
    assertEquals(stillOwn.size(), missing(stillOwn), "no removed session's record is left");
    assertEquals(0, missing(replaced), "the newer records of replaced sessions stay");
    assertEquals(
        0,
        redis
            .send(Request.cmd(Command.SCARD).arg(RedisPresenceStore.NODE_KEY + node("big")))
            .await()
            .toInteger(),
        "the node index is empty");
  }

  /**
   * The refresh holds the gate's snapshot of its sessions: one that closes while the refresh is
   * under way must not be put back by the chunks still to come.
   */
  @Test
  void aSessionRemovedWhileARefreshIsUnderWayIsNotPutBack() throws TimeoutException {
    List<SessionRef> sessions = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      sessions.add(new SessionRef(uid("race" + i), 101, node("racing"), "racing." + i, i));
    }
    store.refresh(node("racing"), sessions).await(30, TimeUnit.SECONDS);
    SessionRef last = sessions.get(MANY - 1);

    Future<Void> refresh = store.refresh(node("racing"), sessions);
    assertTrue(store.remove(last).await(10, TimeUnit.SECONDS), "removed before its chunk's turn");
    refresh.await(30, TimeUnit.SECONDS);
    assertEquals(List.of(), store.sessions(last.uid()).await());
    assertEquals(1, missing(sessions), "only the closed session's record is gone");
  }

  /** How many of these sessions' records are not in Redis, read in pipelined batches. */
  private int missing(List<SessionRef> sessions) {
    RedisConnection connection = redis.connect().await();
    try {
      int missing = 0;
      for (int from = 0; from < sessions.size(); from += 1000) {
        List<SessionRef> chunk = sessions.subList(from, Math.min(from + 1000, sessions.size()));
        List<Request> reads = new ArrayList<>();
        chunk.forEach(
            s ->
                reads.add(
                    Request.cmd(Command.HGET)
                        .arg(RedisPresenceStore.USER_KEY + s.uid())
                        .arg(s.appcode())));
        List<Response> values = connection.batch(reads).await();
        for (int i = 0; i < chunk.size(); i++) {
          SessionRef s = chunk.get(i);
          Response value = values.get(i);
          if (value == null || !value.toString().startsWith(s.node() + "|" + s.session() + "|")) {
            missing++;
          }
        }
      }
      return missing;
    } finally {
      connection.close().await();
    }
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
