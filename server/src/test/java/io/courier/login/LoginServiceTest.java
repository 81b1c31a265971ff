package io.courier.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.contract.LoginRequest;
import io.courier.contract.SessionRef;
import io.courier.protocol.Code;
import io.courier.testkit.Tokens;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.InMemoryPresenceStore;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login (protocol.md 9.1): a refused token is 401 and changes nothing; an accepted one records
 * presence, and the session it replaces is kicked; a presence store that cannot record it is 503.
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
    SessionRef session = Await.result(logins.login(login("alice", 101, "node-a", "a.1")));

    SessionRef expected = new SessionRef("alice", 101, "node-a", "a.1", FixedClock.DEFAULT_NOW);
    assertEquals(expected, session);
    assertEquals(List.of(expected), Await.result(presence.sessions("alice")));
    assertEquals(List.of(), kicked);
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
    SessionRef first = Await.result(logins.login(login("alice", 101, "node-a", "a.1")));
    clock.advance(1_000);

    SessionRef second = Await.result(logins.login(login("alice", 101, "node-b", "b.1")));

    assertEquals(List.of(first), kicked, "kicked on the node that holds it");
    assertEquals(List.of(second), Await.result(presence.sessions("alice")));
    clock.advance(1_000);
    SessionRef third = Await.result(logins.login(login("alice", 101, "node-a", "a.2")));
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

  private static LoginRequest login(String uid, int appcode, String node, String session) {
    return new LoginRequest(uid, appcode, tokens.valid(uid, appcode), node, session);
  }

  private void assertAuthFailed(LoginRequest request) {
    Throwable refusal = Await.failure(logins.login(request));
    assertInstanceOf(CourierException.class, refusal);
    assertEquals(Code.AUTH_FAILED, CourierException.codeOf(refusal), refusal.getMessage());
  }
}
