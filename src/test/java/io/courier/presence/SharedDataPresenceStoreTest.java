package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedDataPresenceStoreTest {
  private Vertx vertx;
  private PresenceStore store;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = new SharedDataPresenceStore(vertx);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void putReturnsTheSessionItReplaced() {
    SessionRef first = new SessionRef("alice", 101, "n1", "n1.1", 1000);
    SessionRef second = new SessionRef("alice", 101, "n2", "n2.1", 2000);
    assertNull(store.put(first).await());
    assertEquals(first, store.put(second).await());
    assertEquals(List.of(second), store.sessions("alice").await());
  }

  @Test
  void appcodesOfOneUserCoexist() {
    SessionRef phone = new SessionRef("alice", 101, "n1", "n1.1", 1000);
    SessionRef web = new SessionRef("alice", 103, "n2", "n2.7", 1500);
    store.put(web).await();
    assertNull(store.put(phone).await());
    assertEquals(List.of(phone, web), store.sessions("alice").await());
  }

  @Test
  void lateLogoutOfAReplacedSessionKeepsTheNewerRecord() {
    SessionRef old = new SessionRef("alice", 101, "n1", "n1.1", 1000);
    SessionRef newer = new SessionRef("alice", 101, "n1", "n1.2", 2000);
    store.put(old).await();
    store.put(newer).await();
    assertFalse(store.remove(old).await());
    assertEquals(List.of(newer), store.sessions("alice").await());
    assertTrue(store.remove(newer).await());
    assertEquals(List.of(), store.sessions("alice").await());
  }

  @Test
  void removeNodeRemovesOnlyThatNodesRecords() {
    store.put(new SessionRef("alice", 101, "dead", "dead.1", 1)).await();
    store.put(new SessionRef("alice", 201, "alive", "alive.1", 1)).await();
    store.put(new SessionRef("bob", 101, "dead", "dead.2", 1)).await();
    assertEquals(2, store.removeNode("dead").await());
    assertEquals(List.of(new SessionRef("alice", 201, "alive", "alive.1", 1)), store.sessions("alice").await());
    assertEquals(List.of(), store.sessions("bob").await());
  }
}
