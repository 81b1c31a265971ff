package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.ServerFrame;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.TestSession;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three clustered nodes in one JVM on loopback (Hazelcast, shared-data presence, a MySQL store):
 * messages cross nodes, a login kicks across nodes, and the detector cleans up after a node that
 * crashed.
 */
class ClusterTest {
  private static final String DATABASE = "courier_cluster_test";

  @RegisterExtension
  static final ClusterSide cluster = new ClusterSide("courier-test", DATABASE, 3);

  @Test
  void c2cAndS2cReachUsersOnOtherNodes() {
    TestSession alice = login(0, "x-alice", 101);
    TestSession bob = login(1, "x-bob", 101);
    JsonObject sent = alice.c2c("x-bob", 101, "m1", "across nodes");
    assertEquals(0, sent.getInteger("code"), sent.encode());
    assertEquals(sent.getString("msgid"), bob.nextPush().getString("msgid"));

    JsonObject s2c =
        request(
            2,
            Addresses.S2C,
            new JsonObject()
                .put("to_uid", "x-bob")
                .put("to_appcode", 101)
                .put("msgtype", 1)
                .put("content", "from a business on the third node"));
    assertEquals("pushed", s2c.getString("status"), s2c.encode());
    assertEquals(s2c.getString("msgid"), bob.nextPush().getString("msgid"));
  }

  @Test
  void aNewerLoginOnAnotherNodeKicksTheOlderSession() {
    TestSession older = login(0, "x-carol", 201);
    TestSession newer = login(2, "x-carol", 201);
    ServerFrame kick = older.nextFrame();
    assertEquals(Command.KICK, kick.command());
    assertEquals(4001, kick.body().getInteger("code"));
    older.connection().closed().await();
    assertEquals(0, newer.connection().ping().await().getInteger("code"));
  }

  @Test
  void multiRecipientS2cIsPushedToUsersOnEveryNode() {
    List<TestSession> drivers =
        List.of(login(0, "x-d0", 201), login(1, "x-d1", 201), login(2, "x-d2", 201));
    JsonObject answer =
        request(
            1,
            Addresses.S2C_MULTI,
            new JsonObject()
                .put("to_uids", new JsonArray().add("x-d0").add("x-d1").add("x-d2"))
                .put("to_appcode", 201)
                .put("msgtype", 5)
                .put("content", "order nearby"));
    assertEquals(0, answer.getInteger("code"), answer.encode());
    for (int i = 0; i < 3; i++) {
      JsonObject result = answer.getJsonArray("results").getJsonObject(i);
      assertEquals("pushed", result.getString("status"));
      assertEquals(result.getString("msgid"), drivers.get(i).nextPush().getString("msgid"));
    }
  }

  @Test
  void theTraceOfAMessageShowsItsStepsOnEveryNodeInOrder() throws Exception {
    TestSession alice = login(0, "x-trace-a", 101);
    TestSession bob = login(1, "x-trace-b", 101);
    io.vertx.core.Promise<JsonObject> acked = io.vertx.core.Promise.promise();
    cluster
        .nodes()
        .get(2)
        .vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RECEIPTS,
            receipt -> {
              if ("x-trace-b".equals(receipt.body().getString("to_uid"))
                  && "acked".equals(receipt.body().getString("status"))) {
                acked.tryComplete(receipt.body());
              }
            })
        .completion()
        .await();
    String logid = "cluster-trace-0001";
    JsonObject sent =
        alice.request(
            Command.C2C,
            new JsonObject()
                .put("to_uid", "x-trace-b")
                .put("to_appcode", 101)
                .put("cmid", "t")
                .put("msgtype", 1)
                .put("content", "where do I go")
                .put("logid", logid));
    assertEquals(0, sent.getInteger("code"), sent.encode());
    assertEquals(sent.getString("msgid"), bob.nextPush().getString("msgid"));
    acked
        .future()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);

    HttpClient http = cluster.vertx().createHttpClient();
    try {
      JsonObject trace =
          http.request(
                  new io.vertx.core.http.RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost("127.0.0.1")
                      .setPort(cluster.nodes().get(2).adminPort())
                      .setURI("/v1/trace/" + logid)
                      .putHeader("Authorization", "Bearer " + ClusterNode.ADMIN_TOKEN))
              .compose(request -> request.send().compose(HttpClientResponse::body))
              .await()
              .toJsonObject();
      List<String> steps = new ArrayList<>();
      List<String> stepNodes = new ArrayList<>();
      trace
          .getJsonArray("steps")
          .forEach(
              step -> {
                steps.add(((JsonObject) step).getString("step"));
                stepNodes.add(((JsonObject) step).getString("node"));
              });
      assertEquals(List.of("accepted", "routed", "pushed", "acked"), steps, trace.encode());
      String bobsNode = cluster.nodes().get(1).node.node();
      assertEquals(bobsNode, trace.getJsonArray("steps").getJsonObject(1).getString("to_node"));
      assertEquals(
          List.of(bobsNode, bobsNode),
          stepNodes.subList(2, 4),
          "pushed and acked by the receiver's gate");
    } finally {
      http.close();
    }
  }

  @Test
  void theGateListShowsEveryNode() {
    HttpClient http = cluster.vertx().createHttpClient();
    try {
      JsonObject body =
          http.request(HttpMethod.GET, cluster.nodes().get(0).httpPort(), "127.0.0.1", "/v1/gates")
              .compose(request -> request.send().compose(HttpClientResponse::body))
              .await()
              .toJsonObject();
      JsonArray gates = body.getJsonArray("gates");
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < gates.size(); i++) {
        ports.add(gates.getJsonObject(i).getInteger("port"));
      }
      assertTrue(
          ports.containsAll(cluster.nodes().stream().map(ClusterNode::gatePort).toList()),
          ports.toString());
    } finally {
      http.close();
    }
  }

  private static TestSession login(int node, String uid, int appcode) {
    return TestSession.login(
        cluster.client(),
        cluster.nodes().get(node).gatePort(),
        cluster.tokens(),
        uid,
        appcode,
        true);
  }

  private static JsonObject request(int node, String address, JsonObject body) {
    return cluster
        .nodes()
        .get(node)
        .vertx
        .eventBus()
        .<JsonObject>request(address, body)
        .await()
        .body();
  }
}
