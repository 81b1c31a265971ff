package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.body.PushProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FCM HTTP v1 sender and its OAuth token against a local server of the documented API. */
class FcmSenderTest {
  private static Vertx vertx;
  private static KeyPair accountKey;
  private static FakeProvider fcm;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    accountKey = generator.generateKeyPair();
    fcm = FakeProvider.fcm(vertx, accountKey);
    client = ProviderClients.http2(vertx, 10, fcm.caFile(), 20_000);
  }

  @BeforeEach
  void forgetEarlierTests() {
    fcm.clear();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    fcm.close();
    vertx.close().await();
  }

  /** A service account key file's JSON whose token endpoint is the fake's. */
  static JsonObject serviceAccount(FakeProvider fcm, KeyPair key) {
    return new JsonObject()
        .put("type", "service_account")
        .put("project_id", "courier-test")
        .put("private_key_id", "key-1")
        .put("private_key", JwtTest.pem(key))
        .put("client_email", "courier@courier-test.iam.gserviceaccount.com")
        .put("token_uri", fcm.url() + "/token");
  }

  private static FcmSender sender() {
    ServiceAccount account = ServiceAccount.fromJson(serviceAccount(fcm, accountKey));
    return new FcmSender(
        client,
        fcm.url(),
        account.projectId(),
        new FcmAccessToken(client, account, System::currentTimeMillis, 20_000),
        600,
        20_000);
  }

  private static Notification notification(String token) {
    Message message = new Message(77, Kind.S2C, "", 0, "dan", 201, 5, "", 1_000, "log-fcm-77");
    return new Notification(
        new Device("dan", 201, "", PushProvider.FCM, token, null, 1_000),
        new Trigger(message, Trigger.Cause.UNACKED, null),
        "New order",
        1);
  }

  @Test
  void messagesSendCarriesTheTokenTitleAndIdsAndOneAccessTokenServesMany() throws Exception {
    FcmSender sender = sender();
    int tokensBefore = fcm.accessTokens();

    Answer first = PushFixtures.sendOnContext(vertx, sender, notification("fcm-token-1"));
    Answer second = PushFixtures.sendOnContext(vertx, sender, notification("fcm-token-2"));

    FakeProvider.Request request = fcm.next(30);
    fcm.next(30);
    assertEquals(Answer.Verdict.SENT, first.verdict());
    assertEquals(Answer.Verdict.SENT, second.verdict());
    assertEquals(1, fcm.accessTokens() - tokensBefore, "the token is cached");
    assertEquals("/v1/projects/courier-test/messages:send", request.path());
    assertEquals(
        new JsonObject()
            .put(
                "message",
                new JsonObject()
                    .put("token", "fcm-token-1")
                    .put("notification", new JsonObject().put("title", "New order"))
                    .put(
                        "data",
                        new JsonObject().put("msgid", "77").put("msgtype", "5").put("kind", "s2c"))
                    .put(
                        "android",
                        new JsonObject()
                            .put("priority", "HIGH")
                            .put("collapse_key", "courier.201")
                            .put("ttl", "600s"))),
        request.json());
  }

  @Test
  void unregisteredAndAnInvalidTokenAreDeadButAnotherInvalidArgumentIsNot() throws Exception {
    FcmSender sender = sender();
    JsonObject invalidToken =
        FakeProvider.fcmError(
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "The registration token is not a valid FCM registration token");
    invalidToken
        .getJsonObject("error")
        .getJsonArray("details")
        .add(
            new JsonObject()
                .put("@type", "type.googleapis.com/google.rpc.BadRequest")
                .put(
                    "fieldViolations",
                    new JsonArray().add(new JsonObject().put("field", "message.token"))));
    fcm.answer(
        FakeProvider.Reply.of(
            404,
            FakeProvider.fcmError(
                404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")),
        FakeProvider.Reply.of(400, invalidToken),
        FakeProvider.Reply.of(
            400,
            FakeProvider.fcmError(
                400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid value at 'message.data'")));

    assertEquals(
        new Answer(Answer.Verdict.DEAD, 404, "UNREGISTERED", 0),
        PushFixtures.sendOnContext(vertx, sender, notification("gone")));
    assertEquals(
        Answer.Verdict.DEAD,
        PushFixtures.sendOnContext(vertx, sender, notification("bad")).verdict());
    assertEquals(
        Answer.Verdict.FAILED,
        PushFixtures.sendOnContext(vertx, sender, notification("fine")).verdict());
  }

  @Test
  void unavailableIsSentAgainAfterItsRetryAfterAndA401FetchesANewToken() throws Exception {
    FcmSender sender = sender();
    PushFixtures.sendOnContext(vertx, sender, notification("warm"));
    int tokensBefore = fcm.accessTokens();
    fcm.answer(
        new FakeProvider.Reply(
            503,
            FakeProvider.fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The server is overloaded."),
            Map.of("retry-after", "7")),
        FakeProvider.Reply.of(
            401,
            FakeProvider.fcmError(
                401,
                "UNAUTHENTICATED",
                "THIRD_PARTY_AUTH_ERROR",
                "Request had invalid credentials.")));

    assertEquals(
        new Answer(Answer.Verdict.RETRY, 503, "UNAVAILABLE", 7_000),
        PushFixtures.sendOnContext(vertx, sender, notification("busy")));
    assertEquals(
        Answer.Verdict.RETRY,
        PushFixtures.sendOnContext(vertx, sender, notification("auth")).verdict());
    assertEquals(
        Answer.Verdict.SENT,
        PushFixtures.sendOnContext(vertx, sender, notification("again")).verdict());
    assertEquals(1, fcm.accessTokens() - tokensBefore, "a new token after the 401");
  }
}
