package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.CourierClient;
import io.courier.protocol.Command;
import io.courier.testkit.LocalServices;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's terminals on different nodes of a cluster (two clustered nodes in one JVM, a MySQL
 * store): copies, sync copies and read receipts reach the terminal on the other node, and the
 * conversation list agrees on both (docs/conversations.md).
 */
class ConversationsClusterTest {
  private static final String DATABASE = "courier_conversations_cluster_test";
  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static Vertx clientVertx;
  private static CourierClient client;
  private static Tokens tokens;

  @BeforeAll
  static void startCluster() {
    LocalServices.requireMysql();
    clientVertx = Vertx.vertx();
    nodes.addAll(ClusterNode.startOnMysql(clientVertx, "courier-conv", DATABASE, 2));
    client = new CourierClient(clientVertx);
    tokens = new Tokens(clientVertx);
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close().await();
    }
    ClusterNode.stopAll(nodes);
    if (clientVertx != null) {
      clientVertx.close().await();
    }
  }

  @Test
  void terminalsOnTwoNodesSeeOneConversation() {
    TestSession bobPhone = login(0, "k-bob", 101);
    TestSession bobWeb = login(1, "k-bob", 103);
    TestSession alicePhone = login(1, "k-alice", 101);
    TestSession aliceWeb = login(0, "k-alice", 103);

    JsonObject sent = alicePhone.c2c("k-bob", 101, "m1", "across nodes");
    assertEquals(0, sent.getInteger("code"), sent.encode());
    String msgid = sent.getString("msgid");
    assertEquals(msgid, bobPhone.nextPush().getString("msgid"));
    assertEquals(msgid, bobWeb.nextPush().getString("msgid"));
    JsonObject sync = aliceWeb.nextPush();
    assertEquals(msgid, sync.getString("msgid"));
    assertEquals(Boolean.TRUE, sync.getBoolean("sync"));

    JsonObject read =
        bobWeb.request(
            Command.READ,
            new JsonObject()
                .put("peer_uid", "k-alice")
                .put("peer_appcode", 101)
                .put("upto", msgid));
    assertEquals(msgid, read.getString("read_upto"), read.encode());
    assertEquals("read", alicePhone.nextPush().getString("kind"));
    assertEquals("read", aliceWeb.nextPush().getString("kind"));
    JsonObject onPhone = bobPhone.nextPush();
    assertEquals("read", onPhone.getString("kind"));
    assertEquals(Boolean.TRUE, onPhone.getBoolean("sync"));

    for (TestSession bob : List.of(bobPhone, bobWeb)) {
      JsonObject entry =
          bob.request(Command.CONVERSATIONS, new JsonObject())
              .getJsonArray("convs")
              .getJsonObject(0);
      assertEquals("k-alice", entry.getString("peer_uid"));
      assertEquals(0, entry.getLong("unread"));
      assertEquals("read", entry.getJsonObject("last").getString("state"));
    }
    JsonObject alicesEntry =
        aliceWeb
            .request(Command.CONVERSATIONS, new JsonObject())
            .getJsonArray("convs")
            .getJsonObject(0);
    assertEquals("read", alicesEntry.getJsonObject("last").getString("state"));
  }

  private static TestSession login(int node, String uid, int appcode) {
    return TestSession.login(client, nodes.get(node).gatePort(), tokens, uid, appcode, true);
  }
}
