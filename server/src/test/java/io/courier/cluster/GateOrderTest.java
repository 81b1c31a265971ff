package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where clients that take the first entry of the gate list land: in proportion to each gate's spare
 * capacity (ceiling twice the busiest gate), drawn with a fixed random source.
 */
class GateOrderTest {
  private static final int PICKS = 10_000;

  @Test
  void firstEntriesLandInProportionToSpareCapacity() {
    // ceiling 800: spare 700, 700 and 400 of 1,800
    Map<String, Integer> firsts =
        firstPicks(List.of(gate("a", 100), gate("b", 100), gate("c", 400)));
    assertShare(firsts, "a", 700.0 / 1800);
    assertShare(firsts, "b", 700.0 / 1800);
    assertShare(firsts, "c", 400.0 / 1800);
  }

  @Test
  void gatesOfEqualLoadShareEqually() {
    Map<String, Integer> firsts =
        firstPicks(List.of(gate("a", 300), gate("b", 300), gate("c", 300)));
    for (String node : List.of("a", "b", "c")) {
      assertShare(firsts, node, 1.0 / 3);
    }
  }

  @Test
  void emptyGatesShareAlmostEquallyWhateverAFewConnections() {
    // ceiling 100 (the least): spare 100, 95 and 100 of 295
    Map<String, Integer> firsts = firstPicks(List.of(gate("a", 0), gate("b", 5), gate("c", 0)));
    assertShare(firsts, "b", 95.0 / 295);
  }

  @Test
  void everyOrderIsAPermutationOfTheList() {
    List<JsonObject> gates = List.of(gate("a", 10), gate("b", 250), gate("c", 40), gate("d", 0));
    Random random = new Random(3);
    Set<List<JsonObject>> orders = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      List<JsonObject> ordered = GateOrder.order(gates, random);
      assertEquals(new HashSet<>(gates), new HashSet<>(ordered));
      assertEquals(gates.size(), ordered.size());
      orders.add(ordered);
    }
    assertTrue(orders.size() > 10, "only " + orders.size() + " different orders");
    assertEquals(List.of(), GateOrder.order(List.of(), random));
  }

  private static Map<String, Integer> firstPicks(List<JsonObject> gates) {
    Random random = new Random(42);
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < PICKS; i++) {
      firsts.merge(GateOrder.order(gates, random).get(0).getString("node"), 1, Integer::sum);
    }
    return firsts;
  }

  /** Within 1.5 percentage points: about three standard deviations of 10,000 picks. */
  private static void assertShare(Map<String, Integer> firsts, String node, double expected) {
    double share = firsts.getOrDefault(node, 0) / (double) PICKS;
    assertEquals(expected, share, 0.015, node + " in " + firsts);
  }

  static JsonObject gate(String node, int connections) {
    return new JsonObject()
        .put("node", node)
        .put("host", "127.0.0.1")
        .put("port", 9000)
        .put("connections", connections)
        .put("updated", 0L);
  }
}
