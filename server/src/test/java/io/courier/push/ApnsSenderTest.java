package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.body.PushProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The APNs sender against a local HTTP/2 server that speaks APNs's documented requests. */
class ApnsSenderTest {
  private static final long NOW = 1_767_225_600_000L;
  private static Vertx vertx;
  private static KeyPair teamKey;
  private static FakeProvider apns;
  private static HttpClient client;
  private static ApnsSender sender;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    teamKey = JwtTest.ecKey();
    apns = FakeProvider.apns(vertx, teamKey);
    client = ProviderClients.http2(vertx, 10, apns.caFile(), 20_000);
    sender =
        new ApnsSender(
            client,
            apns.url(),
            new ApnsToken(
                Jwt.privateKey(JwtTest.pem(teamKey), "EC"), "KEY1234567", "TEAM123456", () -> NOW),
            "com.example.default",
            3600,
            20_000,
            () -> NOW);
  }

  @BeforeEach
  void forgetEarlierTests() {
    apns.clear();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    apns.close();
    vertx.close().await();
  }

  private static Notification notification(String token, String topic, String preview) {
    Message message =
        new Message(42, Kind.C2C, "bob", 101, "alice", 101, 3, "", 1_000, "log-apns-42");
    return new Notification(
        new Device("alice", 101, "", PushProvider.APNS, token, topic, 1_000),
        new Trigger(message, Trigger.Cause.STORED, preview),
        "New message",
        1);
  }

  private static Answer send(Notification notification) throws Exception {
    return PushFixtures.sendOnContext(vertx, sender, notification);
  }

  @Test
  void aNotificationIsPostedWithTheDocumentedHeadersAndNoContent() throws Exception {
    Answer answer = send(notification("a1b2c3", "com.example.driver", null));

    FakeProvider.Request request = apns.next(30);
    assertEquals(Answer.Verdict.SENT, answer.verdict());
    assertEquals("/3/device/a1b2c3", request.path());
    assertEquals("com.example.driver", request.headers().get("apns-topic"));
    assertEquals("alert", request.headers().get("apns-push-type"));
    assertEquals("10", request.headers().get("apns-priority"));
    assertEquals("courier.101", request.headers().get("apns-collapse-id"));
    assertEquals(Long.toString(NOW / 1000 + 3600), request.headers().get("apns-expiration"));
    assertEquals(
        new JsonObject()
            .put(
                "aps",
                new JsonObject()
                    .put("alert", new JsonObject().put("title", "New message"))
                    .put("sound", "default"))
            .put("msgid", "42")
            .put("msgtype", 3)
            .put("kind", "c2c"),
        request.json());
  }

  @Test
  void aGroupMessagesNotificationNamesItsGroup() {
    Message message =
        new Message(43, Kind.C2G, "bob", 101, "alice", 101, 3, "", 1_000, "log-apns-43")
            .inGroup("order-7");
    Notification notification =
        new Notification(
            new Device("alice", 101, "", PushProvider.APNS, "a1b2c5", null, 1_000),
            new Trigger(message, Trigger.Cause.STORED, null),
            "New message",
            1);
    JsonObject payload = ApnsSender.payload(notification);
    assertEquals("order-7", payload.getString("group_id"));
    assertEquals("c2g", payload.getString("kind"));
  }

  @Test
  void theDefaultTopicAndAPreviewWhenAllowed() throws Exception {
    send(notification("a1b2c4", null, "on my way"));

    FakeProvider.Request request = apns.next(30);
    assertEquals("com.example.default", request.headers().get("apns-topic"));
    assertEquals(
        "on my way", request.json().getJsonObject("aps").getJsonObject("alert").getString("body"));
  }

  @Test
  void unregisteredAndBadDeviceTokensAreDead() throws Exception {
    apns.answer(
        FakeProvider.Reply.of(410, FakeProvider.apnsReason("Unregistered").put("timestamp", NOW)),
        FakeProvider.Reply.of(400, FakeProvider.apnsReason("BadDeviceToken")),
        FakeProvider.Reply.of(400, FakeProvider.apnsReason("DeviceTokenNotForTopic")));

    assertEquals(
        new Answer(Answer.Verdict.DEAD, 410, "Unregistered", 0),
        send(notification("d1", null, null)));
    assertEquals(Answer.Verdict.DEAD, send(notification("d2", null, null)).verdict());
    assertEquals(Answer.Verdict.DEAD, send(notification("d3", null, null)).verdict());
  }

  @Test
  void busyAndFailingAnswersAreSentAgainAndOthersFail() throws Exception {
    apns.answer(
        FakeProvider.Reply.of(429, FakeProvider.apnsReason("TooManyRequests")),
        FakeProvider.Reply.of(503, FakeProvider.apnsReason("ServiceUnavailable")),
        FakeProvider.Reply.of(500, FakeProvider.apnsReason("InternalServerError")),
        FakeProvider.Reply.of(403, FakeProvider.apnsReason("ExpiredProviderToken")),
        FakeProvider.Reply.of(400, FakeProvider.apnsReason("BadTopic")));

    assertEquals(
        new Answer(Answer.Verdict.RETRY, 429, "TooManyRequests", 0),
        send(notification("r1", null, null)));
    assertEquals(Answer.Verdict.RETRY, send(notification("r2", null, null)).verdict());
    assertEquals(Answer.Verdict.RETRY, send(notification("r3", null, null)).verdict());
    assertEquals(Answer.Verdict.RETRY, send(notification("r4", null, null)).verdict());
    assertEquals(
        new Answer(Answer.Verdict.FAILED, 400, "BadTopic", 0),
        send(notification("r5", null, null)));
  }

  @Test
  void withoutATopicNothingIsSent() throws Exception {
    ApnsSender noDefault =
        new ApnsSender(
            client,
            apns.url(),
            new ApnsToken(Jwt.privateKey(JwtTest.pem(teamKey), "EC"), "K", "T", () -> NOW),
            null,
            0,
            20_000,
            () -> NOW);
    int before = apns.waiting();

    Answer answer = PushFixtures.sendOnContext(vertx, noDefault, notification("n1", null, null));

    assertEquals(Answer.Verdict.FAILED, answer.verdict());
    assertEquals(0, answer.status());
    assertEquals(before, apns.waiting());
  }

  @Test
  void anUnreachableServerIsNoAnswerToSendAgain() throws Exception {
    HttpClient refused = ProviderClients.http2(vertx, 1, apns.caFile(), 2_000);
    try {
      ApnsSender nowhere =
          new ApnsSender(
              refused,
              "https://localhost:1",
              new ApnsToken(Jwt.privateKey(JwtTest.pem(teamKey), "EC"), "K", "T", () -> NOW),
              "com.example",
              0,
              2_000,
              () -> NOW);

      Answer answer = PushFixtures.sendOnContext(vertx, nowhere, notification("u1", null, null));

      assertEquals(Answer.Verdict.RETRY, answer.verdict());
      assertEquals(0, answer.status());
      assertFalse(answer.reason().isEmpty());
    } finally {
      refused.close().await();
    }
  }

  @Test
  void theSentAnswerHasNoReason() throws Exception {
    assertNull(send(notification("s1", null, null)).reason());
  }
}
