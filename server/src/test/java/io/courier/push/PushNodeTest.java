package io.courier.push;

import static io.courier.push.PushNodes.APPCODE;
import static io.courier.push.PushNodes.msgidOf;
import static io.courier.push.PushNodes.nextFor;
import static io.courier.push.PushNodes.tokenOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline push end to end on one embedded node, over real sockets, to local APNs, FCM and webhook
 * servers: who is woken and when, what the notification carries, collapse, resends, dead tokens,
 * and the reach statistics. Each test has receivers and tokens of its own.
 */
class PushNodeTest {
  private static final long BACKOFF_BASE_MS = 100;
  private static PushNodes nodes;

  @BeforeAll
  static void start() {
    nodes =
        new PushNodes(
            new JsonObject()
                .put("collapseSeconds", 1)
                .put("retryBaseMs", BACKOFF_BASE_MS)
                .put("sendRetries", 3)
                .put("requestTimeoutMs", 20_000),
            new JsonObject()
                .put("routing", new JsonObject().put("ackTimeoutMs", 2_000).put("pushRetries", 5)));
  }

  @AfterAll
  static void stop() {
    nodes.close();
  }

  @Test
  void anOfflineReceiverIsWokenWithTheMsgidButNotTheContentAndItsPullCountsAsReached() {
    TestSession session =
        TestSession.loginWith(
            nodes.client,
            nodes.node,
            nodes.tokens,
            "off-1",
            APPCODE,
            true,
            new JsonObject()
                .put("device_id", "iphone-1")
                .put("push", new JsonObject().put("provider", "apns").put("token", "a0f1")));
    PushNodes.waitUntil(
        "the LOGIN's registration",
        () -> nodes.count("courier.push.registrations", "op", "register", "result", "ok") >= 1);
    session.close();

    JsonObject answer = nodes.s2c("off-1", "log-off-1-aaaa");

    assertEquals("stored", answer.getString("status"));
    FakeProvider.Request request = nextFor(nodes.apns, "a0f1");
    assertEquals(answer.getString("msgid"), msgidOf(request));
    assertEquals("com.example.driver", request.headers().get("apns-topic"));
    assertFalse(request.body().toString().contains("secret order content"), "no content");
    nodes.traceStep("log-off-1-aaaa", step -> step.getString("step").equals("notified"));

    TestSession back = TestSession.login(nodes.client, nodes.node, nodes.tokens, "off-1", APPCODE);
    assertEquals(1, back.pull(null, null).getJsonArray("msgs").size());
    nodes.waitForTimer("courier.reach.latency", 1, "path", "pulled_after_notification");
    JsonObject report = nodes.admin("/v1/stats/arrival?window=1h");
    assertTrue(
        report.getJsonObject("reach").getLong("pulled_after_notification") >= 1, report.encode());
    assertTrue(report.getJsonObject("notifications").getLong("sent") >= 1, report.encode());
    assertTrue(report.getJsonObject("counts").getLong("notified") >= 1, report.encode());
    back.close();
  }

  @Test
  void aConnectedReceiverThatAcksIsNotWoken() {
    TestSession live = nodes.registered("live-1", "apns", "b0b1", true);
    double acked = liveAcks();

    JsonObject answer = nodes.s2c("live-1", "log-live-1-aaaa");

    assertEquals("pushed", answer.getString("status"));
    assertEquals(answer.getString("msgid"), live.nextPush().getString("msgid"));
    PushNodes.waitUntil("the ack", () -> liveAcks() > acked);
    // a later notification through the same provider: nothing was sent for live-1 before it
    nodes.registeredOffline("live-barrier", "apns", "b0b2");
    nodes.s2c("live-barrier", "log-live-barrier");
    List<String> tokens = new ArrayList<>();
    FakeProvider.Request request;
    do {
      request = nodes.apns.next(PushNodes.WAIT_SECONDS);
      tokens.add(tokenOf(request));
    } while (!tokenOf(request).equals("b0b2"));
    assertFalse(tokens.contains("b0b1"), tokens.toString());
    live.close();
  }

  private static double liveAcks() {
    return nodes.count("courier.reach", "path", "live");
  }

  @Test
  void aPushNotAckedWithinTheAckTimeoutWakesTheAppAndTheLateAckCountsAfterTheNotification() {
    TestSession slow = nodes.registered("slow-1", "fcm", "fcm-slow-1", false);

    JsonObject answer = nodes.s2c("slow-1", "log-slow-1-aaaa");
    ServerFrame push = slow.nextPushFrame();

    assertEquals("pushed", answer.getString("status"));
    FakeProvider.Request request = nextFor(nodes.fcm, "fcm-slow-1");
    assertEquals(answer.getString("msgid"), msgidOf(request));
    slow.connection().ackPush(push);
    nodes.waitForTimer("courier.reach.latency", 1, "path", "live_after_notification");
    slow.close();
  }

  @Test
  void messagesWithinTheWindowCollapseIntoOneNotificationOfTheLast() {
    nodes.registeredOffline("col-1", "webhook", "hook-col-1");

    JsonObject first = nodes.s2c("col-1", "log-col-1-first");
    JsonObject second = nodes.s2c("col-1", "log-col-1-second");
    JsonObject third = nodes.s2c("col-1", "log-col-1-third");

    assertEquals(first.getString("msgid"), msgidOf(nextFor(nodes.hook, "hook-col-1")));
    assertEquals(third.getString("msgid"), msgidOf(nextFor(nodes.hook, "hook-col-1")));
    JsonObject collapsed =
        nodes.traceStep("log-col-1-second", step -> step.getString("step").equals("collapsed"));
    assertEquals(third.getString("msgid"), collapsed.getString("into"));
    assertNotEquals(first.getString("msgid"), second.getString("msgid"));
  }

  @Test
  void a429AndA503AreSentAgainAfterGrowingWaits() {
    nodes.registeredOffline("retry-1", "apns", "c0c1");
    nodes.apns.answer(
        FakeProvider.Reply.of(429, FakeProvider.apnsReason("TooManyRequests")),
        FakeProvider.Reply.of(503, FakeProvider.apnsReason("ServiceUnavailable")));

    nodes.s2c("retry-1", "log-retry-1-aaa");

    FakeProvider.Request first = nextFor(nodes.apns, "c0c1");
    FakeProvider.Request second = nextFor(nodes.apns, "c0c1");
    FakeProvider.Request third = nextFor(nodes.apns, "c0c1");
    long firstWaitMs = (second.atNanos() - first.atNanos()) / 1_000_000;
    long secondWaitMs = (third.atNanos() - second.atNanos()) / 1_000_000;
    assertTrue(firstWaitMs >= BACKOFF_BASE_MS * 8 / 10, firstWaitMs + " ms");
    assertTrue(secondWaitMs >= 2 * BACKOFF_BASE_MS * 8 / 10, secondWaitMs + " ms");
    nodes.traceStep("log-retry-1-aaa", step -> step.getString("step").equals("notified"));
  }

  @Test
  void apnsUnregisteredRemovesTheRegistration() {
    nodes.registeredOffline("gone-1", "apns", "d0d1");
    nodes.apns.answer(
        FakeProvider.Reply.of(410, FakeProvider.apnsReason("Unregistered").put("timestamp", 1)));

    nodes.s2c("gone-1", "log-gone-1-first");

    nextFor(nodes.apns, "d0d1");
    JsonObject rejected =
        nodes.traceStep("log-gone-1-first", step -> step.getString("step").equals("notify_failed"));
    assertEquals("rejected", rejected.getString("result"));
    assertTrue(rejected.getString("reason").contains("registration removed"), rejected.encode());
    nodes.s2c("gone-1", "log-gone-1-second");
    JsonObject none =
        nodes.traceStep(
            "log-gone-1-second", step -> step.getString("step").equals("notify_failed"));
    assertEquals("no_device", none.getString("result"));
  }

  @Test
  void fcmUnregisteredRemovesTheRegistration() {
    nodes.registeredOffline("gone-2", "fcm", "fcm-gone-2");
    nodes.fcm.answer(
        FakeProvider.Reply.of(
            404,
            FakeProvider.fcmError(
                404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")));

    nodes.s2c("gone-2", "log-gone-2-first");

    nextFor(nodes.fcm, "fcm-gone-2");
    nodes.traceStep(
        "log-gone-2-first",
        step ->
            step.getString("step").equals("notify_failed")
                && step.getString("result").equals("rejected"));
    nodes.s2c("gone-2", "log-gone-2-second");
    nodes.traceStep(
        "log-gone-2-second",
        step ->
            step.getString("step").equals("notify_failed")
                && step.getString("result").equals("no_device"));
  }

  @Test
  void logoutWithUnregisterAndAnEmptyTokenRemoveTheRegistration() {
    TestSession first = nodes.registered("bye-1", "webhook", "hook-bye-1", true);
    first.connection().request(Command.LOGOUT, new JsonObject().put("unregister", true)).await();
    PushNodes.waitUntil(
        "the LOGOUT's removal",
        () -> nodes.count("courier.push.registrations", "op", "unregister", "result", "ok") >= 1);
    nodes.s2c("bye-1", "log-bye-1-first");
    nodes.traceStep("log-bye-1-first", step -> "no_device".equals(step.getString("result")));

    TestSession second = nodes.registered("bye-2", "webhook", "hook-bye-2", true);
    assertEquals(
        0,
        second
            .request(Command.PUSH_REGISTER, new JsonObject().put("token", ""))
            .getInteger("code"));
    second.close();
    nodes.s2c("bye-2", "log-bye-2-first");
    nodes.traceStep("log-bye-2-first", step -> "no_device".equals(step.getString("result")));
  }

  @Test
  void aBadRegistrationIsAnsweredFourHundred() {
    TestSession session =
        TestSession.login(nodes.client, nodes.node, nodes.tokens, "bad-1", APPCODE);

    JsonObject unknown =
        session.request(
            Command.PUSH_REGISTER, new JsonObject().put("provider", "mipush").put("token", "x1"));
    JsonObject spaced =
        session.request(
            Command.PUSH_REGISTER, new JsonObject().put("provider", "apns").put("token", "a b"));

    assertEquals(400, unknown.getInteger("code"));
    assertEquals(400, spaced.getInteger("code"));
    session.close();

    io.courier.client.CourierConnection connection =
        nodes.client.connect(nodes.node.gatePort(), "127.0.0.1").await();
    JsonObject login =
        connection
            .request(
                Command.LOGIN,
                new JsonObject()
                    .put("uid", "bad-2")
                    .put("appcode", APPCODE)
                    .put("token", nodes.tokens.valid("bad-2", APPCODE))
                    .put("push", new JsonObject().put("provider", "apns")))
            .await();
    assertEquals(400, login.getInteger("code"), login.encode());
    assertTrue(login.getString("msg").startsWith("push."), login.encode());
    assertEquals(0, connection.ping().await().getInteger("code"), "the connection stays open");
    connection.close().await();
  }
}
