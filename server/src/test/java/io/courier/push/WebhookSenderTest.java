package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.body.PushProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against a local HTTP server that checks its signature. */
class WebhookSenderTest {
  static final String SECRET = "a-webhook-secret-of-at-least-32-bytes!";
  private static Vertx vertx;
  private static FakeProvider hook;
  private static HttpClient client;
  private static WebhookSender sender;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    hook = FakeProvider.webhook(vertx, SECRET);
    client = ProviderClients.http1(vertx, 4, null, 20_000);
    sender = new WebhookSender(client, hook.url(), SECRET, 20_000, System::currentTimeMillis);
  }

  @BeforeEach
  void forgetEarlierTests() {
    hook.clear();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    hook.close();
    vertx.close().await();
  }

  private static Notification notification(String preview) {
    Message message = new Message(9, Kind.S2C, "", 0, "erin", 301, 2, "", 1_000, "log-hook-9");
    return new Notification(
        new Device("erin", 301, "phone-1", PushProvider.WEBHOOK, "xiaomi:regid-1", "xiaomi", 1),
        new Trigger(message, Trigger.Cause.STORED, preview),
        "New message",
        1);
  }

  @Test
  void aSignedPostCarriesTheDocumentedFields() throws Exception {
    Answer answer = PushFixtures.sendOnContext(vertx, sender, notification("hello"));

    FakeProvider.Request request = hook.next(30);
    assertEquals(Answer.Verdict.SENT, answer.verdict(), "the server checked the signature");
    assertEquals(
        new JsonObject()
            .put("uid", "erin")
            .put("appcode", 301)
            .put("device", "phone-1")
            .put("token", "xiaomi:regid-1")
            .put("topic", "xiaomi")
            .put("msgid", "9")
            .put("msgtype", 2)
            .put("kind", "s2c")
            .put("title", "New message")
            .put("preview", "hello"),
        request.json());
  }

  @Test
  void goneIsDeadBusyIsSentAgainAndARefusalFails() throws Exception {
    hook.answer(
        FakeProvider.Reply.of(410, new JsonObject()),
        FakeProvider.Reply.of(503, new JsonObject()),
        FakeProvider.Reply.of(400, new JsonObject()));

    assertEquals(
        Answer.Verdict.DEAD,
        PushFixtures.sendOnContext(vertx, sender, notification(null)).verdict());
    assertEquals(
        Answer.Verdict.RETRY,
        PushFixtures.sendOnContext(vertx, sender, notification(null)).verdict());
    assertEquals(
        Answer.Verdict.FAILED,
        PushFixtures.sendOnContext(vertx, sender, notification(null)).verdict());
  }

  @Test
  void aWrongSecretIsRefusedByTheReceiver() throws Exception {
    WebhookSender wrong =
        new WebhookSender(
            client,
            hook.url(),
            "another-secret-of-at-least-32-bytes!!",
            20_000,
            System::currentTimeMillis);

    Answer answer = PushFixtures.sendOnContext(vertx, wrong, notification(null));

    assertEquals(new Answer(Answer.Verdict.FAILED, 403, "Forbidden", 0), answer);
  }
}
