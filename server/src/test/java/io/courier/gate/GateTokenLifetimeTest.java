package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.contract.Addresses;
import io.courier.http.HttpProbe;
import io.courier.http.HttpProbe.Answer;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token lifetime and revocation through a real node and the Java client (protocol.md 9.12 and
 * 14.1): a session ends with KICK 4004 at its token's exp unless a REFRESH carried it on; REFRESH
 * refusals; the issuer and audience configured per appcode; a revoked token cannot log in and its
 * sessions are kicked.
 */
class GateTokenLifetimeTest {
  private static final String ADMIN_TOKEN = "token-lifetime-admin-token-32-bytes";
  private static final String ISSUER = "https://id.courier.test";
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final AtomicInteger IDS = new AtomicInteger();

  private static Vertx vertx;
  private static TestNode node;
  private static Tokens tokens;
  private static CourierClient client;
  private static HttpProbe http;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    node =
        TestNode.start(
            vertx,
            new JsonObject()
                .put("ops", new JsonObject().put("adminToken", ADMIN_TOKEN))
                .put(
                    "tokens",
                    new JsonObject()
                        .put("issuer", new JsonObject().put("102", ISSUER))
                        .put("audience", new JsonObject().put("103", "courier"))));
    tokens = new Tokens(vertx);
    client = new CourierClient(vertx);
    http = new HttpProbe(vertx);
  }

  @AfterAll
  static void stopNode() {
    if (client != null) {
      client.close().await();
    }
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void aSessionIsKickedWith4004AtItsTokensExp() {
    String uid = next("exp");
    String token = tokens.with(uid, 101, new JsonObject(), 2);
    TestSession session = TestSession.login(client, node.gatePort(), uid, 101, token, true);

    ServerFrame kick = session.nextFrame();

    assertTrue(System.currentTimeMillis() >= Tokens.exp(token) * 1000, "kicked before exp");
    assertEquals(Command.KICK, kick.command(), kick::toString);
    assertEquals(
        new JsonObject().put("code", 4004).put("msg", "token expired or revoked"), kick.body());
    session.connection().closed().await();
  }

  @Test
  void aSessionRefreshedBeforeItsExpOutlivesIt() throws InterruptedException {
    String uid = next("refresh");
    String first = tokens.with(uid, 101, new JsonObject(), 2);
    TestSession session = TestSession.login(client, node.gatePort(), uid, 101, first, true);
    String fresh = tokens.with(uid, 101, new JsonObject(), 600);

    JsonObject refreshed = session.connection().refresh(fresh).await();

    assertEquals(new JsonObject().put("code", 0).put("exp", Tokens.exp(fresh)), refreshed);
    long firstEndMs = Tokens.exp(first) * 1000;
    while (System.currentTimeMillis() < firstEndMs + 1_000) {
      Thread.sleep(100);
    }
    assertEquals(0, session.connection().ping().await().getInteger("code"));
    assertTrue(session.noFrameWaiting(), "kicked although refreshed");
    session.close();
  }

  @Test
  void aRefreshWithAnotherUsersTokenIs403AndABadTokenIs401AndCloses() {
    String uid = next("refusals");
    TestSession session = TestSession.login(client, node, tokens, uid, 101, true);
    CourierConnection connection = session.connection();

    JsonObject other = connection.refresh(tokens.valid(next("other"), 101)).await();
    assertEquals(403, other.getInteger("code"), other::encode);
    JsonObject otherApp = connection.refresh(tokens.with(uid, 201, new JsonObject(), 60)).await();
    assertEquals(403, otherApp.getInteger("code"), otherApp::encode);
    assertEquals(400, connection.refresh(null).await().getInteger("code"));
    assertEquals(0, connection.ping().await().getInteger("code"), "the session goes on");

    JsonObject bad = connection.refresh(tokens.expired(uid, 101, 5)).await();

    assertEquals(401, bad.getInteger("code"), bad::encode);
    connection.closed().await();
  }

  @Test
  void theIssuerAndAudienceOfAnAppcodeMustMatch() {
    String uid = next("claims");
    assertEquals(401, login(uid, 102, tokens.with(uid, 102, new JsonObject(), 60)), "no iss");
    assertEquals(
        401,
        login(uid, 102, tokens.with(uid, 102, new JsonObject().put("iss", ISSUER + "/x"), 60)),
        "another iss");
    assertEquals(
        0, login(uid, 102, tokens.with(uid, 102, new JsonObject().put("iss", ISSUER), 60)));
    assertEquals(
        401,
        login(uid, 103, tokens.with(uid, 103, new JsonObject().put("aud", "elsewhere"), 60)),
        "another aud");
    JsonObject audiences = new JsonObject().put("aud", new JsonArray().add("x").add("courier"));
    assertEquals(0, login(uid, 103, tokens.with(uid, 103, audiences, 60)));
    assertEquals(
        0, login(uid, 101, tokens.with(uid, 101, new JsonObject(), 60)), "101 checks neither");
  }

  @Test
  void aTokenRevokedOverHttpIsRefusedAndItsSessionKicked() {
    String uid = next("revoked");
    String jti = next("jti");
    String token = tokens.with(uid, 101, new JsonObject().put("jti", jti), 600);
    TestSession session = TestSession.login(client, node.gatePort(), uid, 101, token, true);
    JsonObject revocation =
        new JsonObject().put("appcode", 101).put("jti", jti).put("exp", Tokens.exp(token));
    assertEquals(401, revoke(null, revocation).status(), "no admin token");
    assertEquals(400, revoke(ADMIN_TOKEN, new JsonObject().put("appcode", 101)).status());

    Answer revoked = revoke(ADMIN_TOKEN, revocation.copy().put("reason", "stolen phone"));

    assertEquals(200, revoked.status(), revoked.body()::encode);
    assertEquals(true, revoked.body().getBoolean("kept"));
    ServerFrame kick = session.nextFrame();
    assertEquals(Command.KICK, kick.command(), kick::toString);
    assertEquals(4004, kick.body().getInteger("code"));
    assertEquals(401, login(uid, 101, token), "the revoked token logs in");
    assertEquals(0, login(uid, 101, tokens.with(uid, 101, new JsonObject().put("jti", "new"), 60)));
    JsonArray listed =
        call(HttpMethod.GET, "/v1/revocations", ADMIN_TOKEN, null)
            .body()
            .getJsonArray("revocations");
    String kept = revocation.copy().put("reason", "stolen phone").encode();
    assertTrue(
        listed.stream().anyMatch(one -> ((JsonObject) one).encode().equals(kept)), listed::encode);
  }

  @Test
  void aTokenRevokedOnTheEventBusCannotRefreshAndAnExpiredOneIsNotKept() {
    String uid = next("bus");
    TestSession session = TestSession.login(client, node, tokens, uid, 101, true);
    String jti = next("jti");
    String token = tokens.with(uid, 101, new JsonObject().put("jti", jti), 600);
    JsonObject answer =
        vertx
            .eventBus()
            .<JsonObject>request(
                Addresses.TOKENS_REVOKE,
                new JsonObject().put("appcode", 101).put("jti", jti).put("exp", Tokens.exp(token)))
            .await()
            .body();
    assertEquals(0, answer.getInteger("code"), answer::encode);
    assertTrue(session.noFrameWaiting(), "a session using another token was kicked");

    JsonObject refused = session.connection().refresh(token).await();

    assertEquals(401, refused.getInteger("code"), refused::encode);
    JsonObject past =
        vertx
            .eventBus()
            .<JsonObject>request(
                Addresses.TOKENS_REVOKE,
                new JsonObject().put("appcode", 101).put("jti", next("jti")).put("exp", 1))
            .await()
            .body();
    assertEquals(false, past.getBoolean("kept"), past::encode);
  }

  /** The code of a LOGIN with {@code token} on a new connection, which is then closed. */
  private static int login(String uid, int appcode, String token) {
    CourierConnection connection = client.connect(node.gatePort(), "127.0.0.1").await();
    try {
      return connection.login(uid, appcode, token).await().getInteger("code");
    } finally {
      connection.close();
    }
  }

  private static Answer revoke(String adminToken, JsonObject body) {
    return call(HttpMethod.POST, "/v1/revocations", adminToken, body);
  }

  private static Answer call(HttpMethod method, String path, String adminToken, JsonObject body) {
    return http.call(method, node.adminPort(), path, adminToken, body);
  }

  private static String next(String what) {
    return what + "-" + RUN + "-" + IDS.incrementAndGet();
  }
}
