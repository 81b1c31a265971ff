package io.courier.cluster;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order of the gate list for one request: a weighted random permutation in which each gate's
 * weight is its spare capacity, so that clients taking the first entry spread over the gates in
 * proportion to it. The next entries, a client's fallbacks, follow the same draw among the rest.
 *
 * <p>Spare capacity is measured against a ceiling of twice the busiest gate's connections, at least
 * {@link #MIN_CEILING}: {@code weight = ceiling - connections}.
 *
 * @implNote Gates have no configured capacity, so the ceiling is relative to the busiest. Twice the
 *     busiest keeps every weight positive — gates of equal load share equally and the busiest still
 *     gets a share — and gives an idle gate at most twice the busiest's share, so a fresh gate
 *     fills up without becoming the target of the next herd. The list being sorted least loaded
 *     first was rejected: the list is refreshed every 2 s, so after a gate died all its clients
 *     read the same list and reconnected to the same gate. A uniform shuffle was rejected too: it
 *     ignores load.
 */
public final class GateOrder {
  /**
   * Least ceiling, in connections: below it the gates count as empty and share almost equally
   * instead of one or two connections deciding.
   */
  static final int MIN_CEILING = 100;

  private GateOrder() {}

  /** The gates, each read as {@code {connections}}, in a fresh order drawn from {@code random}. */
  public static List<JsonObject> order(List<JsonObject> gates, RandomGenerator random) {
    int busiest = 0;
    for (JsonObject gate : gates) {
      busiest = Math.max(busiest, connections(gate));
    }
    long ceiling = Math.max(2L * busiest, MIN_CEILING);
    List<JsonObject> left = new ArrayList<>(gates);
    List<Long> weights = new ArrayList<>(gates.size());
    long total = 0;
    for (JsonObject gate : left) {
      long weight = ceiling - connections(gate);
      weights.add(weight);
      total += weight;
    }
    List<JsonObject> ordered = new ArrayList<>(gates.size());
    while (!left.isEmpty()) {
      long draw = random.nextLong(total);
      int chosen = 0;
      while (draw >= weights.get(chosen)) {
        draw -= weights.get(chosen);
        chosen++;
      }
      ordered.add(left.remove(chosen));
      total -= weights.remove(chosen);
    }
    return ordered;
  }

  /** A negative count, which no gate publishes, counts as empty. */
  private static int connections(JsonObject gate) {
    return Math.max(0, gate.getInteger("connections", 0));
  }
}
