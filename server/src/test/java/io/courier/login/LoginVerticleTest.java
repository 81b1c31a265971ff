package io.courier.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.admin.RevocationTable;
import io.courier.config.Apps;
import io.courier.config.CourierConfig;
import io.courier.config.Systems;
import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.protocol.Code;
import io.courier.routing.Terminals;
import io.courier.testkit.Tokens;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.InMemoryMessageStore;
import io.courier.testkit.fakes.InMemoryPresenceStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login role on a local event bus (no gate, no socket): what a gate sees of a login, and the
 * KICK 4001 the gate of a replaced session is told to send.
 */
class LoginVerticleTest {
  private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
  private Vertx vertx;
  private Tokens tokens;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
    Await.result(
        vertx.deployVerticle(
            new LoginVerticle(
                CourierConfig.from(new JsonObject(), Map.of()),
                presence,
                new RevocationTable(System::currentTimeMillis),
                new Terminals(Systems.development(), new InMemoryMessageStore()))));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theGateOfAReplacedSessionIsToldToKickIt4001() throws Exception {
    CompletableFuture<JsonObject> toNodeA = new CompletableFuture<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.gate("node-a"), m -> toNodeA.complete(m.body()));
    assertEquals(0, login(valid("alice", 101, "node-a", "a.1")).getInteger("code"));

    assertEquals(0, login(valid("alice", 101, "node-b", "b.1")).getInteger("code"));

    JsonObject kick = toNodeA.get(5, TimeUnit.SECONDS);
    assertEquals(GateCommand.kick("a.1", Code.KICK_REPLACED), kick);
    assertEquals(4001, kick.getInteger("code"));
    assertEquals("replaced", kick.getString("msg"));
  }

  @Test
  void aRefusedTokenFailsTheRequestWith401() {
    ReplyException refusal =
        refused(new LoginRequest("alice", 101, tokens.valid("mallory", 101), "node-a", "a.1"));

    assertEquals(ReplyFailure.RECIPIENT_FAILURE, refusal.failureType());
    assertEquals(401, refusal.failureCode());
  }

  @Test
  void aPresenceStoreThatIsDownFailsTheRequestWith503() {
    presence.down(new IllegalStateException("redis down"));

    ReplyException refusal = refused(valid("alice", 101, "node-a", "a.1"));

    assertEquals(503, refusal.failureCode());
  }

  @Test
  void aRefreshIsAnsweredWithTheTokensExpiryOr403ForAnotherIdentity() {
    long exp = System.currentTimeMillis() / 1000 + 600;
    String fresh =
        tokens.sign(
            Apps.DEV_SECRET, new JsonObject().put("appcode", 101).put("jti", "j-1"), "alice", 600);

    JsonObject granted =
        Await.result(
            vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.REFRESH, new RefreshRequest("alice", 101, fresh, "a.1").toJson())
                .map(m -> m.body()));

    assertEquals(0, granted.getInteger("code"));
    assertEquals("j-1", granted.getString("jti"));
    assertTrue(Math.abs(granted.getLong("exp") - exp) <= 2, granted::encode);
    ReplyException other =
        assertInstanceOf(
            ReplyException.class,
            Await.failure(
                vertx
                    .eventBus()
                    .request(
                        Addresses.REFRESH,
                        new RefreshRequest("alice", 101, tokens.valid("bob", 101), "a.1")
                            .toJson())));
    assertEquals(403, other.failureCode());
  }

  private LoginRequest valid(String uid, int appcode, String node, String session) {
    return new LoginRequest(uid, appcode, tokens.valid(uid, appcode), node, session);
  }

  private JsonObject login(LoginRequest request) {
    return Await.result(
        vertx.eventBus().<JsonObject>request(Addresses.LOGIN, request.toJson()).map(m -> m.body()));
  }

  private ReplyException refused(LoginRequest request) {
    return assertInstanceOf(
        ReplyException.class,
        Await.failure(vertx.eventBus().request(Addresses.LOGIN, request.toJson())));
  }
}
