package io.courier.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.SessionRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link PresenceStore} has; each implementation's test extends this. */
abstract class PresenceStoreContract {
  protected Vertx vertx;
  protected PresenceStore store;

  /**
   * Makes the uids and nodes of one test unique, so tests share a real backend without cleaning it.
   */
  protected final String run = UUID.randomUUID().toString().substring(0, 8);

  protected abstract PresenceStore newStore(Vertx vertx);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = newStore(vertx);
  }

  @AfterEach
  void tearDown() {
    store.close().await();
    vertx.close().await();
  }

  protected String uid(String name) {
    return name + "-" + run;
  }

  protected String node(String name) {
    return name + "-" + run;
  }

  /**
   * A burst of lookups from one event loop, as routing makes under load: each gets its own user's
   * sessions (none for an unknown user).
   */
  @Test
  void aBurstOfLookupsGetsEachUsersOwnSessions() {
    int users = 300;
    for (int i = 0; i < users; i++) {
      store.put(new SessionRef(uid("burst" + i), 101, node("gate"), "s." + i, i)).await();
      if (i % 3 == 0) {
        store.put(new SessionRef(uid("burst" + i), 102, node("other"), "t." + i, i)).await();
      }
    }
    Context context = vertx.getOrCreateContext();
    Promise<List<List<SessionRef>>> answered = Promise.promise();
    context.runOnContext(
        v -> {
          List<Future<List<SessionRef>>> lookups = new ArrayList<>();
          for (int i = 0; i < users + 20; i++) {
            lookups.add(store.sessions(uid("burst" + i)));
          }
          Future.all(lookups)
              .map(all -> lookups.stream().map(Future::result).toList())
              .onComplete(answered);
        });
    List<List<SessionRef>> found = answered.future().await();
    for (int i = 0; i < users + 20; i++) {
      List<SessionRef> sessions = found.get(i);
      if (i >= users) {
        assertTrue(sessions.isEmpty(), "an unknown user has no session");
        continue;
      }
      assertEquals(i % 3 == 0 ? 2 : 1, sessions.size(), "sessions of user " + i);
      assertEquals(
          new SessionRef(uid("burst" + i), 101, node("gate"), "s." + i, i), sessions.get(0));
      if (i % 3 == 0) {
        assertEquals(
            new SessionRef(uid("burst" + i), 102, node("other"), "t." + i, i), sessions.get(1));
      }
    }
  }

  @Test
  void putReturnsTheSessionItReplaced() {
    SessionRef first = new SessionRef(uid("alice"), 101, node("n1"), "n1.1", 1000);
    SessionRef second = new SessionRef(uid("alice"), 101, node("n2"), "n2.1", 2000);
    assertNull(store.put(first).await());
    assertEquals(first, store.put(second).await());
    assertEquals(List.of(second), store.sessions(uid("alice")).await());
  }

  @Test
  void appcodesOfOneUserCoexist() {
    SessionRef phone = new SessionRef(uid("alice"), 101, node("n1"), "n1.1", 1000);
    SessionRef web = new SessionRef(uid("alice"), 103, node("n2"), "n2.7", 1500);
    store.put(web).await();
    assertNull(store.put(phone).await());
    assertEquals(List.of(phone, web), store.sessions(uid("alice")).await());
  }

  @Test
  void lateLogoutOfAReplacedSessionKeepsTheNewerRecord() {
    SessionRef old = new SessionRef(uid("alice"), 101, node("n1"), "n1.1", 1000);
    SessionRef newer = new SessionRef(uid("alice"), 101, node("n1"), "n1.2", 2000);
    store.put(old).await();
    store.put(newer).await();
    assertFalse(store.remove(old).await());
    assertEquals(List.of(newer), store.sessions(uid("alice")).await());
    assertTrue(store.remove(newer).await());
    assertEquals(List.of(), store.sessions(uid("alice")).await());
  }

  @Test
  void removeNodeRemovesOnlyThatNodesRecords() {
    store.put(new SessionRef(uid("alice"), 101, node("dead"), "dead.1", 1)).await();
    store.put(new SessionRef(uid("alice"), 201, node("alive"), "alive.1", 1)).await();
    store.put(new SessionRef(uid("bob"), 101, node("dead"), "dead.2", 1)).await();
    assertEquals(2, store.removeNode(node("dead")).await());
    assertEquals(
        List.of(new SessionRef(uid("alice"), 201, node("alive"), "alive.1", 1)),
        store.sessions(uid("alice")).await());
    assertEquals(List.of(), store.sessions(uid("bob")).await());
  }

  @Test
  void aRecordThatMovedToAnotherNodeIsNotRemovedWithTheOldNode() {
    store.put(new SessionRef(uid("carol"), 101, node("old"), "old.1", 1)).await();
    SessionRef moved = new SessionRef(uid("carol"), 101, node("new"), "new.1", 2);
    store.put(moved).await();
    assertEquals(0, store.removeNode(node("old")).await());
    assertEquals(List.of(moved), store.sessions(uid("carol")).await());
  }

  @Test
  void refreshOfLiveSessionsSucceeds() {
    SessionRef live = new SessionRef(uid("dan"), 101, node("n1"), "n1.9", 1);
    store.put(live).await();
    store.refresh(node("n1"), List.of(live)).await();
    assertEquals(List.of(live), store.sessions(uid("dan")).await());
  }
}
