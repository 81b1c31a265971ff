package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A business streams requests into one node's bridge — pushes to a user on a node that stays up
 * ({@code near}) and to one on a node that dies ({@code far}), several-user pushes to both,
 * presence reads — while the other node dies. Every request must get its reply, none later than
 * {@value #BOUND_MS} ms after it was sent, and pushes to {@code far} sent after the death must be
 * stored.
 */
final class FailoverScenario {
  static final long BOUND_MS = 2_000;

  /** One request of the stream every this many ms: about 50 a second. */
  private static final long SPACING_MS = 20;

  private static final long STREAM_BEFORE_DEATH_MS = 1_000;
  private static final long STREAM_AFTER_DEATH_MS = 4_000;
  private static final int WARM_UP_REQUESTS = 40;

  /** The death of a node, as the test causes it. */
  @FunctionalInterface
  interface Death {
    void happen() throws Exception;
  }

  private final String near;
  private final String far;
  private final int appcode;

  /**
   * @param near a user logged in on a node that stays up
   * @param far a user logged in on the node that dies
   */
  FailoverScenario(String near, String far, int appcode) {
    this.near = near;
    this.far = far;
    this.appcode = appcode;
  }

  /**
   * Runs the scenario on the bridge at {@code bridgePort}; {@code where} says where to look when it
   * fails (the nodes' logs).
   */
  void run(int bridgePort, Death death, Supplier<String> where) throws Exception {
    try (BridgeStream business = BridgeStream.connect(bridgePort)) {
      for (int i = 0; i < WARM_UP_REQUESTS; i++) {
        sendOne(business, i);
        Thread.sleep(SPACING_MS);
      }
      awaitAnswers(business, 30_000);
      List<BridgeStream.Request> warmUp = business.sent();
      for (BridgeStream.Request request : warmUp) {
        assertEquals(0, code(request), "before the death: " + request);
      }
      assertEquals(
          "pushed",
          status(warmUp.get(WARM_UP_REQUESTS - 4)),
          "before the death, the far user is online");

      int diedAt = -1;
      long start = System.nanoTime();
      for (int i = 0; millisSince(start) < STREAM_BEFORE_DEATH_MS + STREAM_AFTER_DEATH_MS; i++) {
        if (diedAt < 0 && millisSince(start) >= STREAM_BEFORE_DEATH_MS) {
          death.happen();
          diedAt = business.sent().size() - warmUp.size();
        }
        sendOne(business, i);
        Thread.sleep(SPACING_MS);
      }
      awaitAnswers(business, BOUND_MS + 1_000);

      List<BridgeStream.Request> stream =
          business.sent().subList(warmUp.size(), business.sent().size());
      List<BridgeStream.Request> late =
          stream.stream()
              .filter(request -> !request.answered() || request.latencyMs() > BOUND_MS)
              .toList();
      int slowest = 0;
      for (int i = 1; i < stream.size(); i++) {
        if (stream.get(i).latencyMs() > stream.get(slowest).latencyMs()) {
          slowest = i;
        }
      }
      System.out.printf(
          "%d bridge requests, %d after the death; slowest answered in %d ms, request %d after"
              + " the death: %s%n",
          stream.size(),
          stream.size() - diedAt,
          stream.get(slowest).latencyMs(),
          slowest - diedAt,
          stream.get(slowest));
      assertTrue(
          late.isEmpty(),
          late.size()
              + " of "
              + stream.size()
              + " requests not answered within "
              + BOUND_MS
              + " ms ("
              + where.get()
              + "), e.g. "
              + describe(late));
      List<BridgeStream.Request> refused =
          stream.stream().filter(request -> code(request) != 0).toList();
      assertTrue(refused.isEmpty(), "requests not accepted: " + describe(refused));
      assertTrue(
          stream.subList(diedAt, stream.size()).stream()
              .anyMatch(
                  request ->
                      request.address.equals(Addresses.S2C)
                          && far.equals(request.body.getString("to_uid"))
                          && "stored".equals(status(request))),
          "after the death, pushes to the user of the dead node are stored");
    }
  }

  /** The {@code i}-th request of the stream: four kinds in turn. */
  private void sendOne(BridgeStream business, int i) {
    switch (i % 4) {
      case 0:
        s2c(business, far);
        break;
      case 1:
        s2c(business, near);
        break;
      case 2:
        business.send(
            Addresses.S2C_MULTI,
            new JsonObject()
                .put("to_uids", new JsonArray().add(near).add(far))
                .put("to_appcode", appcode)
                .put("msgtype", 1)
                .put("content", "to both " + i));
        break;
      default:
        business.send(Addresses.PRESENCE, new JsonObject().put("uid", far));
    }
  }

  private void s2c(BridgeStream business, String uid) {
    business.send(
        Addresses.S2C,
        new JsonObject()
            .put("to_uid", uid)
            .put("to_appcode", appcode)
            .put("msgtype", 1)
            .put("content", "to " + uid));
  }

  /** Waits until every request sent so far is answered, at most {@code boundMs}. */
  private static void awaitAnswers(BridgeStream business, long boundMs)
      throws InterruptedException {
    long start = System.nanoTime();
    while (millisSince(start) < boundMs
        && !business.sent().stream().allMatch(BridgeStream.Request::answered)) {
      Thread.sleep(10);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The reply's code; -1 without a reply (an err frame, or nothing). */
  private static int code(BridgeStream.Request request) {
    JsonObject reply = request.reply();
    return reply == null ? -1 : reply.getInteger("code", -1);
  }

  private static String status(BridgeStream.Request request) {
    JsonObject reply = request.reply();
    return reply == null ? null : reply.getString("status");
  }

  private static String describe(List<BridgeStream.Request> requests) {
    return requests.stream()
        .limit(5)
        .map(request -> request.latencyMs() + " ms: " + request)
        .collect(Collectors.joining("; "));
  }
}
