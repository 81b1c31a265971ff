package io.courier.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Code;
import io.courier.testkit.Tokens;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.InMemoryPresenceStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login (protocol.md 9.1): a refused token is 401 and changes nothing; an accepted one records
 * presence, and the session it replaces is kicked; a presence store that cannot record it is 503.
 * Refresh (9.4): a token of the session's own identity is accepted, another identity's is 403.
 */
class LoginServiceTest {
  private static Vertx vertx;
  private static Tokens tokens;
  private static TokenVerifier verifier;

  private final FixedClock clock = new FixedClock();
  private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
  private final List<SessionRef> kicked = new ArrayList<>();
  private LoginService logins;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
    verifier = new TokenVerifier(vertx, Apps.development());
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void wire() {
    logins = new LoginService(verifier, presence, kicked::add, clock);
  }

  @Test
  void anAcceptedLoginIsRecordedAsTheLiveSessionAtTheClocksTime() {
    String token = tokens.sign(Apps.DEV_SECRET, claims(101).put("jti", "t-1"), "alice", 3600);
    long now = System.currentTimeMillis() / 1000;

    TokenGrant grant =
        Await.result(logins.login(new LoginRequest("alice", 101, token, "node-a", "a.1")));

    SessionRef expected = session("alice", "node-a", "a.1", FixedClock.DEFAULT_NOW);
    assertEquals(List.of(expected), Await.result(presence.sessions("alice")));
    assertEquals(List.of(), kicked);
    assertEquals("t-1", grant.jti(), "the gate learns the token's jti");
    assertTrue(Math.abs(grant.exp() - (now + 3600)) <= 2, "and its exp: " + grant.exp());
  }

  @Test
  void aRefreshChecksTheTokenForTheSessionsIdentityAndLeavesPresenceAlone() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));
    String fresh = tokens.sign(Apps.DEV_SECRET, claims(101).put("jti", "t-2"), "alice", 7200);

    TokenGrant grant = Await.result(logins.refresh(new RefreshRequest("alice", 101, fresh, "a.1")));

    assertEquals("t-2", grant.jti());
    Throwable otherUid =
        Await.failure(
            logins.refresh(new RefreshRequest("alice", 101, tokens.valid("mallory", 101), "a.1")));
    assertEquals(Code.FORBIDDEN, CourierException.codeOf(otherUid), otherUid.getMessage());
    Throwable expired =
        Await.failure(
            logins.refresh(
                new RefreshRequest("alice", 101, tokens.expired("alice", 101, 60), "a.1")));
    assertEquals(Code.AUTH_FAILED, CourierException.codeOf(expired), expired.getMessage());
    assertEquals(
        List.of(session("alice", "node-a", "a.1", FixedClock.DEFAULT_NOW)),
        Await.result(presence.sessions("alice")));
  }

  @Test
  void aRefusedTokenIs401AndChangesNothing() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));

    assertAuthFailed(new LoginRequest("alice", 101, tokens.valid("mallory", 101), "node-b", "b.1"));
    assertAuthFailed(
        new LoginRequest("alice", 101, tokens.expired("alice", 101, 120), "node-b", "b.2"));
    assertAuthFailed(new LoginRequest("alice", 101, "not-a-jwt", "node-b", "b.3"));
    assertAuthFailed(new LoginRequest("alice", 999, tokens.valid("alice", 999), "node-b", "b.4"));

    assertEquals(
        List.of("a.1"),
        Await.result(presence.sessions("alice")).stream().map(SessionRef::session).toList());
    assertEquals(List.of(), kicked);
  }

  @Test
  void aNewerLoginOfThePairKicksTheSessionItReplaced() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));
    SessionRef first = session("alice", "node-a", "a.1", FixedClock.DEFAULT_NOW);
    clock.advance(1_000);

    Await.result(logins.login(login("alice", 101, "node-b", "b.1")));
    SessionRef second = session("alice", "node-b", "b.1", FixedClock.DEFAULT_NOW + 1_000);

    assertEquals(List.of(first), kicked, "kicked on the node that holds it");
    assertEquals(List.of(second), Await.result(presence.sessions("alice")));
    clock.advance(1_000);
    Await.result(logins.login(login("alice", 101, "node-a", "a.2")));
    SessionRef third = session("alice", "node-a", "a.2", FixedClock.DEFAULT_NOW + 2_000);
    assertEquals(List.of(first, second), kicked);
    assertEquals(List.of(third), Await.result(presence.sessions("alice")));
  }

  @Test
  void theSameSessionLoggingInAgainIsNotKicked() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));

    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));

    assertEquals(List.of(), kicked);
  }

  @Test
  void sessionsOfOtherAppcodesOfTheUserAreNotKicked() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));
    Await.result(logins.login(login("alice", 103, "node-b", "b.1")));
    Await.result(logins.login(login("bob", 101, "node-a", "a.2")));

    assertEquals(List.of(), kicked);
    assertEquals(2, Await.result(presence.sessions("alice")).size());
  }

  @Test
  void aPresenceStoreThatCannotRecordTheLoginIs503AndNobodyIsKicked() {
    Await.result(logins.login(login("alice", 101, "node-a", "a.1")));
    presence.down(new IllegalStateException("redis down"));

    Throwable refusal = Await.failure(logins.login(login("alice", 101, "node-b", "b.1")));

    assertEquals(Code.UNAVAILABLE, CourierException.codeOf(refusal));
    assertEquals("presence store unavailable", refusal.getMessage());
    assertEquals(List.of(), kicked);
  }

  private static SessionRef session(String uid, String node, String session, long since) {
    return new SessionRef(uid, 101, node, session, since);
  }

  private static JsonObject claims(int appcode) {
    return new JsonObject().put("appcode", appcode);
  }

  private static LoginRequest login(String uid, int appcode, String node, String session) {
    return new LoginRequest(uid, appcode, tokens.valid(uid, appcode), node, session);
  }

  private void assertAuthFailed(LoginRequest request) {
    Throwable refusal = Await.failure(logins.login(request));
    assertInstanceOf(CourierException.class, refusal);
    assertEquals(Code.AUTH_FAILED, CourierException.codeOf(refusal), refusal.getMessage());
  }
}
