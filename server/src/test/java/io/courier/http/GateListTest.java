package io.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.cluster.GateDirectory;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/gates} as clients read it, on a node without a gate of its own whose gate list the
 * test fills: every gate in every answer, in an order drawn per request, so that the clients of a
 * gate that died spread over the others.
 */
class GateListTest {
  private static final int CLIENTS_OF_THE_DEAD_GATE = 300;

  @RegisterExtension final ClientSide side = new ClientSide();
  private GateDirectory directory;
  private HttpClient http;
  private int httpPort;

  @BeforeEach
  void startNode() {
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put("node", new JsonObject().put("roles", new JsonArray().add("logic"))));
    httpPort = node.config().getJsonObject("http").getInteger("port");
    directory = new GateDirectory(side.vertx());
    http = side.vertx().createHttpClient();
  }

  @Test
  void theOrderDiffersAcrossRequestsAndEveryAnswerHasEveryGateInTheV1Shape() {
    publish("gate-a", 9001, 40);
    publish("gate-b", 9002, 40);
    publish("gate-c", 9003, 40);
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      JsonArray gates = gates();
      assertEquals(3, gates.size(), gates.encode());
      for (Object entry : gates) {
        JsonObject gate = (JsonObject) entry;
        assertEquals(
            Set.of("node", "host", "port", "connections", "updated"),
            gate.fieldNames(),
            gate.encode());
        assertEquals(9000 + gate.getString("node").charAt(5) - 'a' + 1, gate.getInteger("port"));
      }
      orders.add(gates.stream().map(gate -> ((JsonObject) gate).getString("node")).toList());
    }
    assertTrue(orders.size() > 1, "every request got the same order " + orders);
  }

  @Test
  void theClientsOfAGateThatDiedSpreadOverTheOthers() {
    publish("gate-a", 9001, CLIENTS_OF_THE_DEAD_GATE);
    publish("gate-b", 9002, CLIENTS_OF_THE_DEAD_GATE);
    publish("gate-c", 9003, CLIENTS_OF_THE_DEAD_GATE);
    publish("gate-d", 9004, CLIENTS_OF_THE_DEAD_GATE);
    directory.remove("gate-d").await();

    Map<String, Integer> reconnected = new HashMap<>();
    for (int i = 0; i < CLIENTS_OF_THE_DEAD_GATE; i++) {
      reconnected.merge(gates().getJsonObject(0).getString("node"), 1, Integer::sum);
    }

    assertEquals(
        Set.of("gate-a", "gate-b", "gate-c"), reconnected.keySet(), reconnected.toString());
    // each gate's share is 1/3: 100 ± 8 clients; 60 is five standard deviations away
    reconnected.forEach(
        (gate, clients) -> assertTrue(clients >= 60, gate + " got few: " + reconnected));
  }

  private void publish(String node, int port, int connections) {
    directory.publish(node, "127.0.0.1", port, connections).await();
  }

  private JsonArray gates() {
    JsonObject answer =
        http.request(HttpMethod.GET, httpPort, "127.0.0.1", "/v1/gates")
            .compose(
                request ->
                    request
                        .send()
                        .compose(
                            response -> {
                              assertEquals(200, response.statusCode());
                              return response.body();
                            }))
            .await()
            .toJsonObject();
    return answer.getJsonArray("gates");
  }
}
