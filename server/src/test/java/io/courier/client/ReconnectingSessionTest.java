package io.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.testkit.ClientSide;
import io.courier.testkit.CuttableProxy;
import io.courier.testkit.LocalServices;
import io.courier.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's opt-in reconnection against a real node: it comes back after its connection is lost,
 * waits at least the {@code retry_after} of a LOGIN 503, finds gates through {@code GET /v1/gates},
 * logs in again at once with a fresh token after KICK 4004, and stops for good when a newer login
 * replaces it.
 */
class ReconnectingSessionTest {
  private static final long WAIT_SECONDS = 15;

  @RegisterExtension final ClientSide side = new ClientSide();
  private final BlockingQueue<CourierConnection> loggedIn = new LinkedBlockingQueue<>();
  private final BlockingQueue<ReconnectingSession.Retry> retries = new LinkedBlockingQueue<>();

  /** Short waits so that the test does not sit in them; the policy itself has its unit test. */
  private static ReconnectBackoff quickBackoff() {
    return new ReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200), new Random(5));
  }

  private ReconnectingSession session(GateSource gates, String uid) {
    return session(gates, uid, quickBackoff());
  }

  private ReconnectingSession session(GateSource gates, String uid, ReconnectBackoff backoff) {
    return side.client()
        .reconnecting(gates, uid, 101, () -> side.tokens().valid(uid, 101), backoff)
        .loggedInHandler(loggedIn::add)
        .retryHandler(retries::add);
  }

  @Test
  void aLostConnectionIsReplacedAfterTheGateComesBack() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    CuttableProxy gate = CuttableProxy.start(side.vertx(), "127.0.0.1", node.gatePort());
    ReconnectingSession session =
        session(GateSource.fixed(List.of(new GateAddress("127.0.0.1", gate.port()))), "rc-ann")
            .start();
    CourierConnection first = next(loggedIn);

    gate.cut();
    ReconnectingSession.Retry lost = next(retries);
    assertEquals("connection lost", lost.reason());
    assertEquals(1, lost.failures());
    assertTrue(lost.delayMs() <= 20, "first wait within the base: " + lost);
    ReconnectingSession.Retry refused = next(retries);
    assertEquals(2, refused.failures(), "the gate refuses connections while cut: " + refused);
    gate.restore();

    CourierConnection second = next(loggedIn);
    assertTrue(first.closed().isComplete());
    assertEquals(second, session.connection());
    assertEquals(0, second.ping().await().getInteger("code"));
    assertFalse(session.stopped().isComplete());
    session.close().await();
    second.closed().await();
    assertTrue(session.stopped().succeeded());
  }

  @Test
  void aLoginRefusedWith503IsRetriedNoSoonerThanItsRetryAfter() throws Exception {
    LocalServices.requireRedis();
    CuttableProxy redis = CuttableProxy.inFrontOfRedis(side.vertx());
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "presence",
                    new JsonObject()
                        .put("backend", "redis")
                        .put("redisUrl", "redis://127.0.0.1:" + redis.port())));
    redis.cut();
    ReconnectingSession session =
        session(
                GateSource.fixed(List.of(new GateAddress("127.0.0.1", node.gatePort()))),
                "rc-ben",
                new ReconnectBackoff(Duration.ofMillis(20), Duration.ofSeconds(10), new Random(5)))
            .start();

    ReconnectingSession.Retry refused = next(retries);
    assertTrue(refused.reason().contains("503"), refused.toString());
    assertNotNull(refused.retryAfterMs(), "a 503 to LOGIN carries retry_after: " + refused);
    assertTrue(
        refused.retryAfterMs() >= 1_000 && refused.retryAfterMs() < 5_000, refused.toString());
    assertEquals(
        refused.retryAfterMs(), refused.delayMs(), "the hint, above the 20 ms window, is the wait");
    redis.restore();

    long restored = System.nanoTime();
    next(loggedIn);
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored) < refused.delayMs() + 2_000,
        "the retry came after its wait, not at the policy's cap");
    session.close().await();
  }

  @Test
  void gatesComeFromTheGateListOfTheHttpPort() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    int httpPort = node.config().getJsonObject("http").getInteger("port");
    GateSource gates =
        side.client()
            .gateList(
                List.of(new GateAddress("127.0.0.1", 1), new GateAddress("127.0.0.1", httpPort)));
    assertEquals(
        List.of(new GateAddress("127.0.0.1", node.gatePort())),
        gates.gates().await(),
        "the first endpoint refuses, the second answers");

    session(gates, "rc-cid").start();

    assertEquals(0, next(loggedIn).ping().await().getInteger("code"));
  }

  @Test
  void aSessionReplacedByANewerLoginStopsInsteadOfKickingItBack() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    ReconnectingSession session =
        session(GateSource.fixed(List.of(new GateAddress("127.0.0.1", node.gatePort()))), "rc-dee")
            .start();
    next(loggedIn);

    CourierConnection newer = side.client().connect(node.gatePort(), "127.0.0.1").await();
    newer.login("rc-dee", 101, side.tokens().valid("rc-dee", 101)).await();

    ExecutionException ended =
        assertThrows(
            ExecutionException.class,
            () ->
                session
                    .stopped()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(
        ended.getCause().getMessage().contains(Integer.toString(Code.KICK_REPLACED.value())),
        ended.getCause().toString());
    assertNull(session.connection());
    assertTrue(retries.isEmpty(), "a replaced session retried: " + retries);
    assertEquals(0, newer.request(Command.PING, new JsonObject()).await().getInteger("code"));
    assertFalse(newer.closed().isComplete(), "the newer login was kicked back");
  }

  @Test
  void aLoginRefusedWith401StopsTheSession() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    ReconnectingSession session =
        side.client()
            .reconnecting(
                GateSource.fixed(List.of(new GateAddress("127.0.0.1", node.gatePort()))),
                "rc-eve",
                101,
                () -> side.tokens().expired("rc-eve", 101, 60),
                quickBackoff())
            .retryHandler(retries::add);

    session.start();

    ExecutionException ended =
        assertThrows(
            ExecutionException.class,
            () ->
                session
                    .stopped()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(ended.getCause().getMessage().contains("401"), ended.getCause().toString());
    assertTrue(retries.isEmpty(), "a 401 was retried: " + retries);
  }

  @Test
  void aSessionWhoseTokenExpiredLogsInAgainAtOnceWithAFreshTokenFromItsSupplier() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    List<String> issued = new CopyOnWriteArrayList<>();
    ReconnectingSession session =
        side.client()
            .reconnecting(
                GateSource.fixed(List.of(new GateAddress("127.0.0.1", node.gatePort()))),
                "rc-fay",
                101,
                () -> {
                  String token =
                      side.tokens()
                          .with("rc-fay", 101, new JsonObject().put("jti", "t" + issued.size()), 2);
                  issued.add(token);
                  return token;
                },
                quickBackoff())
            .loggedInHandler(loggedIn::add)
            .retryHandler(retries::add)
            .start();
    CourierConnection first = next(loggedIn);

    ReconnectingSession.Retry expired = next(retries);

    assertEquals(0, expired.failures(), expired.toString());
    assertEquals(0, expired.delayMs(), "no wait after 4004: " + expired);
    assertTrue(expired.reason().contains("4004"), expired.toString());
    CourierConnection second = next(loggedIn);
    assertTrue(first.closed().isComplete());
    assertEquals(2, issued.size(), "the second LOGIN did not ask for a fresh token");
    assertFalse(session.stopped().isComplete());
    session.close().await();
    second.closed().await();
  }

  private static <T> T next(BlockingQueue<T> events) throws InterruptedException {
    T event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(event, "nothing within " + WAIT_SECONDS + " s");
    return event;
  }
}
