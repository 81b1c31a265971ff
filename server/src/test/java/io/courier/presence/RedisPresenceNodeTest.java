package io.courier.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.contract.Addresses;
import io.courier.testkit.ClientSide;
import io.courier.testkit.LocalServices;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with Redis presence and thousands of logged-in connections: its refreshes keep every
 * record alive, so the first user to log in is still pushed to after several TTLs, and when all
 * connections close at once every record goes.
 */
class RedisPresenceNodeTest {
  /** The shortest TTL the configuration allows: the node refreshes every second. */
  private static final int TTL_SECONDS = 3;

  /** Above what one pipelined batch and the client's wait queues held before issue 12's fix. */
  private static final int CONNECTIONS = 3_000;

  /** Logins in flight at a time, as clients reconnecting with jitter would be. */
  private static final int LOGIN_LANES = 32;

  private static final int REFRESHES = 4;
  private static final long WAIT_MS = REFRESHES * TTL_SECONDS * 1000L / 3 + 10_000;

  @RegisterExtension final ClientSide side = new ClientSide();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private TestNode node;
  private Redis redis;

  @BeforeEach
  void startNode() {
    LocalServices.requireRedis();
    node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "presence",
                    new JsonObject()
                        .put("backend", "redis")
                        .put("redisUrl", LocalServices.REDIS_URL)
                        .put("ttlSeconds", TTL_SECONDS))
                // a crowd behind one address, logging in as fast as it can: not what the
                // per-address rates of admission control are set for
                .put(
                    "gate",
                    new JsonObject()
                        .put("acceptRatePerIp", 1_000_000)
                        .put("loginRatePerIp", 1_000_000)));
    redis =
        Redis.createClient(side.vertx(), RedisPresenceStore.clientOptions(LocalServices.REDIS_URL));
  }

  @AfterEach
  void closeRedis() {
    redis.close().await();
  }

  @Test
  void theFirstUserIsStillPushedToAfterSeveralTtlsAndAllRecordsGoWithTheirConnections()
      throws TimeoutException {
    String first = "first-" + run;
    TestSession firstSession = TestSession.login(side.client(), node, side.tokens(), first, 101);
    CourierClient others = new CourierClient(side.vertx());
    List<String> uids = new ArrayList<>(List.of(first));
    for (int i = 1; i < CONNECTIONS; i++) {
      uids.add("crowd" + i + "-" + run);
    }
    logInInLanes(others, uids.subList(1, uids.size()));

    int refreshes = awaitRefreshes();
    JsonObject s2c =
        side.vertx()
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", first)
                    .put("to_appcode", 101)
                    .put("msgtype", 2)
                    .put("content", "still here?"))
            .await()
            .body();
    assertEquals("pushed", s2c.getString("status"), s2c.encode());
    assertEquals(s2c.getString("msgid"), firstSession.nextPush().getString("msgid"));
    assertTrue(refreshes >= REFRESHES, "refreshes seen within " + WAIT_MS + " ms: " + refreshes);

    keepRecordsLong(uids);
    firstSession.close();
    others.close().await();
    awaitNoRecordOf(uids);
  }

  private void logInInLanes(CourierClient client, List<String> uids) throws TimeoutException {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < LOGIN_LANES; lane++) {
      lanes.add(logInNext(client, uids, next));
    }
    Future.all(lanes).await(60, TimeUnit.SECONDS);
  }

  private Future<Void> logInNext(CourierClient client, List<String> uids, AtomicInteger next) {
    int index = next.getAndIncrement();
    if (index >= uids.size()) {
      return Future.succeededFuture();
    }
    String uid = uids.get(index);
    return client
        .connect(node.gatePort(), "127.0.0.1")
        .compose(connection -> connection.login(uid, 101, side.tokens().valid(uid, 101)))
        .compose(
            answer ->
                answer.getInteger("code") == 0
                    ? logInNext(client, uids, next)
                    : Future.failedFuture("login of " + uid + ": " + answer.encode()));
  }

  /**
   * Waits, at most {@link #WAIT_MS}, until the node has refreshed its index {@link #REFRESHES}
   * times (its TTL seen going up); returns how many refreshes were seen.
   */
  private int awaitRefreshes() {
    String index = RedisPresenceStore.NODE_KEY + node.node();
    long deadline = System.currentTimeMillis() + WAIT_MS;
    long last = pttl(index);
    int seen = 0;
    while (seen < REFRESHES && System.currentTimeMillis() < deadline) {
      side.vertx().timer(50, TimeUnit.MILLISECONDS).await();
      long now = pttl(index);
      if (now > last) {
        seen++;
      }
      last = now;
    }
    return seen;
  }

  /**
   * Gives every record a TTL far beyond the test, so that only their removal, not their expiry, can
   * make them go.
   */
  private void keepRecordsLong(List<String> uids) {
    RedisConnection connection = redis.connect().await();
    try {
      List<Request> expires = new ArrayList<>();
      uids.forEach(
          uid ->
              expires.add(
                  Request.cmd(Command.EXPIRE).arg(RedisPresenceStore.USER_KEY + uid).arg(600)));
      for (int from = 0; from < expires.size(); from += 1000) {
        connection.batch(expires.subList(from, Math.min(from + 1000, expires.size()))).await();
      }
    } finally {
      connection.close().await();
    }
  }

  /** Waits, at most {@link #WAIT_MS}, until no uid has a record left. */
  private void awaitNoRecordOf(List<String> uids) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    int left = recordsOf(uids);
    while (left > 0 && System.currentTimeMillis() < deadline) {
      side.vertx().timer(50, TimeUnit.MILLISECONDS).await();
      left = recordsOf(uids);
    }
    assertEquals(0, left, "records left " + WAIT_MS + " ms after every connection closed");
  }

  private int recordsOf(List<String> uids) {
    Request exists = Request.cmd(Command.EXISTS);
    uids.forEach(uid -> exists.arg(RedisPresenceStore.USER_KEY + uid));
    Response count = redis.send(exists).await();
    return count.toInteger();
  }

  private long pttl(String key) {
    return redis.send(Request.cmd(Command.PTTL).arg(key)).await().toLong();
  }
}
