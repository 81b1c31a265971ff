package io.courier.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures' arithmetic, on hand-written events. */
class FiguresTest {
  @Test
  void unavailabilityIsTheLongestStretchWithoutSuccess() {
    List<JsonObject> ops =
        List.of(
            op("c2c", 0, 1_000, 0),
            op("c2c", 1_000, 6_000, 503),
            op("c2c", 6_000, 7_000, 0),
            op("s2c", 0, 9_000, 0));

    assertEquals(6_000, Figures.longestGap(ops, "c2c", 0, 10_000));
    assertEquals(9_000, Figures.longestGap(ops, "s2c", 0, 10_000));
    assertEquals(10_000, Figures.longestGap(ops, "pull", 0, 10_000));
  }

  @Test
  void presenceStaysOnADeadNodeUntilTheLastSampleThatShowsIt() {
    List<JsonObject> events =
        List.of(
            node("A", false, 1_000),
            presence(1_500, "A"),
            presence(2_500, "A"),
            presence(3_500, "B"),
            node("A", true, 9_000),
            presence(9_500, "A"));

    assertEquals(1_500, Figures.presenceStaleMs(events, 900));
    assertNull(Figures.presenceStaleMs(events, 5_000));
  }

  @Test
  void latencyOfAFaultLeavesOutRequestsTheNextFaultCaught() {
    List<JsonObject> events =
        List.of(
            fault(1, "start", 0),
            op("c2c", 100, 200, 0),
            fault(1, "heal", 1_000),
            op("c2c", 2_000, 9_000, 503),
            fault(2, "start", 3_000),
            fault(2, "heal", 4_000));

    JsonObject first = Figures.of(events).getJsonArray("faults").getJsonObject(0);

    assertEquals(1, first.getJsonObject("latencyMs").getJsonObject("c2c").getInteger("count"));
    // the window ends where the next fault starts (3 s), not 15 s after the heal
    assertEquals(2_800, first.getJsonObject("unavailableMs").getLong("c2c"));
  }

  private static JsonObject op(String kind, long t, long end, int code) {
    return new JsonObject()
        .put("ev", "op")
        .put("op", kind)
        .put("t", t)
        .put("end", end)
        .put("code", code);
  }

  private static JsonObject fault(long id, String phase, long t) {
    return new JsonObject()
        .put("ev", "fault")
        .put("id", id)
        .put("kind", "split")
        .put("target", "n1")
        .put("phase", phase)
        .put("t", t);
  }

  private static JsonObject node(String vertx, boolean up, long t) {
    return new JsonObject()
        .put("ev", "node")
        .put("name", "n1")
        .put("vertx", vertx)
        .put("state", up ? "up" : "down")
        .put("t", t);
  }

  private static JsonObject presence(long t, String node) {
    return new JsonObject()
        .put("ev", "presence")
        .put("t", t)
        .put("recs", new JsonArray().add(new JsonArray().add("u1").add(101).add(node)));
  }
}
