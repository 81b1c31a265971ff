package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node of a three-node cluster crashes: the detector makes its users read offline, and messages
 * wait for them.
 */
class DetectorTest {
  /**
   * The detector's target on loopback is 5 s; the bound of the wait leaves room for a loaded CI
   * machine.
   */
  private static final long BOUND_MS = 15_000;

  private static final String DATABASE = "courier_detector_test";
  @RegisterExtension final ClusterSide cluster = new ClusterSide("courier-detector", DATABASE, 3);

  @Test
  void usersOfACrashedNodeReadOfflineWithinTheWindowAndTheirMessagesWait()
      throws InterruptedException {
    Tokens tokens = new Tokens(cluster.vertx());
    TestSession.login(
        cluster.client(), cluster.nodes().get(2).gatePort(), tokens, "det-erin", 201, true);
    assertEquals(1, sessions(0, "det-erin").size());

    long crashedAt = System.currentTimeMillis();
    cluster.nodes().get(2).crash();
    while (!sessionsOrNull(0, "det-erin").isEmpty()) {
      assertTrue(
          System.currentTimeMillis() - crashedAt < BOUND_MS,
          "presence of the dead node's user survived");
      Thread.sleep(50);
    }
    long detectedMs = System.currentTimeMillis() - crashedAt;
    System.out.println("presence of the crashed node's user removed after " + detectedMs + " ms");

    JsonObject s2c =
        s2cWithRetries(
            new JsonObject()
                .put("to_uid", "det-erin")
                .put("to_appcode", 201)
                .put("msgtype", 1)
                .put("content", "wait for me"),
            crashedAt);
    assertEquals("stored", s2c.getString("status"), s2c.encode());
    TestSession back =
        TestSession.login(
            cluster.client(), cluster.nodes().get(1).gatePort(), tokens, "det-erin", 201, false);
    JsonObject page = back.pull(null, null);
    assertEquals(0, page.getInteger("code"), page.encode());
    JsonArray pulled = page.getJsonArray("msgs");
    assertEquals(
        s2c.getString("msgid"), pulled.getJsonObject(pulled.size() - 1).getString("msgid"));
  }

  /**
   * Sends as a business would: a request that went to the dead node's routing (until every node has
   * dropped its consumers) times out, and one answered 503 — a survivor whose msgid lease the crash
   * left unconfirmed for a moment refuses to issue msgids (cluster.md section 3) — is sent again.
   */
  private JsonObject s2cWithRetries(JsonObject body, long since) {
    while (true) {
      try {
        JsonObject answer =
            cluster
                .nodes()
                .get(0)
                .vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.S2C, body, new DeliveryOptions().setSendTimeout(2_000))
                .await()
                .body();
        if (answer.getInteger("code") != 503) {
          return answer;
        }
        assertTrue(
            System.currentTimeMillis() - since < BOUND_MS,
            "courier.s2c answered 503 all along: " + answer.encode());
      } catch (RuntimeException e) {
        assertTrue(
            System.currentTimeMillis() - since < BOUND_MS,
            "courier.s2c never answered: " + e.getMessage());
      }
    }
  }

  /**
   * The sessions, or a non-empty placeholder while the cluster still routes the query to the dead
   * node.
   */
  private JsonArray sessionsOrNull(int node, String uid) {
    try {
      return cluster
          .nodes()
          .get(node)
          .vertx
          .eventBus()
          .<JsonObject>request(
              Addresses.PRESENCE,
              new JsonObject().put("uid", uid),
              new DeliveryOptions().setSendTimeout(1_000))
          .await()
          .body()
          .getJsonArray("sessions");
    } catch (RuntimeException e) {
      return new JsonArray().add("unknown: " + e.getMessage());
    }
  }

  private JsonArray sessions(int node, String uid) {
    return cluster
        .nodes()
        .get(node)
        .vertx
        .eventBus()
        .<JsonObject>request(Addresses.PRESENCE, new JsonObject().put("uid", uid))
        .await()
        .body()
        .getJsonArray("sessions");
  }
}
