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

  @Test
  void groupMessagesOweACopyToEachMemberButTheSender() {
    List<JsonObject> events =
        List.of(
            new JsonObject()
                .put("ev", "group")
                .put("group", "order-1")
                .put("members", new JsonArray().add("u1/101").add("u2/101").add("u3/101")),
            c2g("g-u1-1", 503, null),
            c2g("g-u1-1", 0, "500"),
            c2g("g-u1-2", -1, null),
            delivery("u2/101", "push", "500"),
            delivery("u2/101", "pull", "500"),
            delivery("u3/101", "pull", "500"));

    JsonObject groups = Figures.of(events).getJsonObject("groups");

    assertEquals(1, groups.getInteger("groups"));
    assertEquals(3, groups.getInteger("requests"));
    assertEquals(2, groups.getInteger("messages"));
    assertEquals(1, groups.getInteger("answered0"));
    assertEquals(2, groups.getInteger("memberCopies"));
    assertEquals(1, groups.getInteger("firstByPush"));
    assertEquals(1, groups.getInteger("firstByPull"));
    assertEquals(0, groups.getInteger("lost"));
  }

  private static JsonObject c2g(String key, int code, String msgid) {
    JsonObject op =
        op("c2g", 0, 1, code).put("from", "u1/101").put("group", "order-1").put("key", key);
    return msgid == null ? op : op.put("msgid", msgid);
  }

  private static JsonObject delivery(String term, String via, String msgid) {
    return new JsonObject()
        .put("ev", "deliver")
        .put("t", 2)
        .put("term", term)
        .put("via", via)
        .put("msgid", msgid)
        .put("kind", "c2g");
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
