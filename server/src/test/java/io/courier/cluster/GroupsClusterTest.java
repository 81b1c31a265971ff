package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.store.Shards;
import io.courier.testkit.LocalServices;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order's group across a cluster (docs/groups.md): two clustered nodes in one JVM over a MySQL
 * store of two shards, the group and its four members spread over both nodes and both shards; the
 * business manages it from either node.
 */
class GroupsClusterTest {
  private static final List<String> DATABASES =
      List.of("courier_groups_cluster_0", "courier_groups_cluster_1");
  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static Vertx clientVertx;
  private static CourierClient client;
  private static Tokens tokens;

  @BeforeAll
  static void startCluster() {
    LocalServices.requireMysql();
    clientVertx = Vertx.vertx();
    nodes.addAll(ClusterNode.startOnMysqlShards(clientVertx, "courier-groups", DATABASES, 2));
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
  void aFourMemberOrderGroupAcrossTwoNodesAndTwoShards() {
    String user = "user-1";
    String merchant = "merchant-1";
    String driver = "driver-1";
    String support = "support-1";
    Set<Integer> shards = new TreeSet<>();
    for (String uid : List.of(user, merchant, driver, support)) {
      shards.add(Shards.of(uid, 2));
    }
    assertEquals(Set.of(0, 1), shards, "the members live on both shards");

    TestSession userPhone = login(0, user, 101);
    TestSession merchantApp = login(1, merchant, 201);
    JsonObject created =
        business(
            0,
            Addresses.GROUP_CREATE,
            new JsonObject()
                .put("group_id", "order-77")
                .put("title", "Order 77")
                .put("members", new JsonArray().add(member(user, 101)).add(member(merchant, 201))));
    assertEquals(0, created.getInteger("code"), created.encode());

    String first = send(userPhone, "order-77", "u1", "is it ready?");
    assertEquals(first, merchantApp.nextPush().getString("msgid"));

    // the driver accepts the order, on the other node; it sees what follows, not what went before
    JsonObject added =
        business(
            1,
            Addresses.GROUP_MEMBERS,
            new JsonObject()
                .put("group_id", "order-77")
                .put("add", new JsonArray().add(member(driver, 201)).add(member(support, 301))));
    assertEquals(0, added.getInteger("code"), added.encode());
    TestSession driverApp = login(0, driver, 201);
    String second = send(merchantApp, "order-77", "m1", "ready, driver on the way");
    assertEquals(second, driverApp.nextPush().getString("msgid"));
    assertEquals(second, userPhone.nextPush().getString("msgid"));
    assertEquals(List.of(second), msgids(history(driverApp, "order-77")));
    assertEquals(List.of(second, first), msgids(history(userPhone, "order-77")));

    // the support agent was offline: it pulls the message when it logs in, on node 1
    TestSession agent = login(1, support, 301);
    JsonArray waiting = agent.pull(null, null).getJsonArray("msgs");
    assertEquals(List.of(second), msgids(waiting));
    assertEquals("order-77", waiting.getJsonObject(0).getString("group_id"));

    // a resend of the same cmid is the first message, pushed to nobody again
    JsonObject resent = send(userPhone, "order-77", "u1");
    assertEquals(first, resent.getString("msgid"));

    // support leaves: it gets nothing more
    JsonObject removed =
        business(
            0,
            Addresses.GROUP_MEMBERS,
            new JsonObject()
                .put("group_id", "order-77")
                .put("remove", new JsonArray().add(support)));
    assertEquals(0, removed.getInteger("code"), removed.encode());
    String third = send(driverApp, "order-77", "d1", "arrived");
    assertEquals(third, userPhone.nextPush().getString("msgid"));
    assertEquals(third, merchantApp.nextPush().getString("msgid"));
    assertEquals(1, agent.offlineAck(second).getInteger("removed"));
    assertEquals(0, agent.pull(null, null).getJsonArray("msgs").size());
    assertTrue(agent.noFrameWaiting(), "a removed member gets nothing more");

    // unread counts: the merchant has read nothing of the user's and the driver's messages; the
    // driver sees only what came after it joined
    JsonObject entry = groupEntry(merchantApp, "order-77");
    assertEquals(2, entry.getInteger("unread"), entry.encode());
    assertEquals(third, entry.getString("last_msgid"));
    assertEquals(1, groupEntry(driverApp, "order-77").getInteger("unread"));

    // the order ends
    JsonObject closed =
        business(1, Addresses.GROUP_CLOSE, new JsonObject().put("group_id", "order-77"));
    assertEquals(0, closed.getInteger("code"), closed.encode());
    JsonObject refused = userPhone.request(Command.C2G, c2g("order-77", "u2", "thanks"));
    assertEquals(410, refused.getInteger("code"), refused.encode());
    assertEquals(List.of(third, second, first), msgids(history(userPhone, "order-77")));
    assertNotEquals(first, second);
  }

  private static TestSession login(int node, String uid, int appcode) {
    return TestSession.login(client, nodes.get(node).gatePort(), tokens, uid, appcode, true);
  }

  private static JsonObject business(int node, String address, JsonObject body) {
    return nodes.get(node).vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  private static JsonObject member(String uid, int appcode) {
    return new JsonObject().put("uid", uid).put("appcode", appcode);
  }

  private static JsonObject c2g(String groupId, String cmid, String content) {
    return new JsonObject()
        .put("group_id", groupId)
        .put("cmid", cmid)
        .put("msgtype", 1)
        .put("content", content);
  }

  private static String send(TestSession session, String groupId, String cmid, String content) {
    JsonObject answer = session.request(Command.C2G, c2g(groupId, cmid, content));
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return answer.getString("msgid");
  }

  private static JsonObject send(TestSession session, String groupId, String cmid) {
    return session.request(Command.C2G, c2g(groupId, cmid, "resent"));
  }

  private static JsonArray history(TestSession session, String groupId) {
    JsonObject page = session.request(Command.HISTORY, new JsonObject().put("group_id", groupId));
    assertEquals(0, page.getInteger("code"), page.encode());
    return page.getJsonArray("msgs");
  }

  private static JsonObject groupEntry(TestSession session, String groupId) {
    JsonArray convs =
        session.request(Command.CONVERSATIONS, new JsonObject()).getJsonArray("convs");
    for (Object entry : convs) {
      if (groupId.equals(((JsonObject) entry).getString("group_id"))) {
        return (JsonObject) entry;
      }
    }
    throw new AssertionError("no entry of " + groupId + " in " + convs.encode());
  }

  private static List<String> msgids(JsonArray messages) {
    List<String> msgids = new ArrayList<>();
    messages.forEach(message -> msgids.add(((JsonObject) message).getString("msgid")));
    return msgids;
  }
}
