package io.courier.login;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Code;
import io.courier.testkit.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final String DRIVER_SECRET = "driver-secret-of-this-test-0123456789";
  private static Vertx vertx;
  private static Tokens tokens;
  private static TokenVerifier verifier;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
    verifier = new TokenVerifier(vertx, new Apps(Map.of(101, Apps.DEV_SECRET, 201, DRIVER_SECRET)));
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @Test
  void goodTokenIsAccepted() throws Exception {
    verify("alice", 101, tokens.valid("alice", 101));
    verify("bob", 201, tokens.sign(DRIVER_SECRET, new JsonObject().put("appcode", 201), "bob", 60));
  }

  @Test
  void badSignatureIsRefused() {
    assertRefused(
        "alice",
        101,
        tokens.sign("another-secret", new JsonObject().put("appcode", 101), "alice", 60));
    String good = tokens.valid("alice", 101);
    assertRefused(
        "alice", 101, good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA"));
  }

  @Test
  void tokenOfAnotherUidIsRefused() {
    assertRefused("alice", 101, tokens.valid("mallory", 101));
  }

  @Test
  void tokenOfAnotherAppcodeIsRefused() {
    assertRefused(
        "alice",
        101,
        tokens.sign(Apps.DEV_SECRET, new JsonObject().put("appcode", 102), "alice", 60));
    assertRefused("alice", 101, tokens.sign(Apps.DEV_SECRET, new JsonObject(), "alice", 60));
  }

  @Test
  void expiredTokenIsRefused() {
    assertRefused("alice", 101, tokens.expired("alice", 101, 120));
  }

  @Test
  void tokenWithoutExpiryIsRefused() {
    assertRefused(
        "alice",
        101,
        tokens.sign(Apps.DEV_SECRET, new JsonObject().put("appcode", 101), "alice", 0));
  }

  @Test
  void unknownAppcodeIsRefused() {
    assertRefused(
        "alice",
        999,
        tokens.sign(Apps.DEV_SECRET, new JsonObject().put("appcode", 999), "alice", 60));
  }

  @Test
  void unsignedTokenIsRefused() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = System.currentTimeMillis() / 1000 + 600;
    String none =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(UTF_8))
            + "."
            + b64.encodeToString(
                ("{\"sub\":\"alice\",\"appcode\":101,\"exp\":" + exp + "}").getBytes(UTF_8))
            + ".";
    assertRefused("alice", 101, none);
    assertRefused("alice", 101, "not-a-jwt");
  }

  private static void verify(String uid, int appcode, String token) throws Exception {
    verifier
        .verify(uid, appcode, token)
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  private static void assertRefused(String uid, int appcode, String token) {
    Future<TokenGrant> result = verifier.verify(uid, appcode, token);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    CourierException failure = assertInstanceOf(CourierException.class, e.getCause());
    assertEquals(Code.AUTH_FAILED, failure.code());
    assertTrue(!failure.getMessage().isEmpty());
  }
}
