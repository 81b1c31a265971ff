package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.body.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
  private static final long HOUR = 3_600_000;

  @Test
  void returnsTheStepsOfOneLogidInTheOrderTheyWereRecorded() {
    TraceStore traces = new TraceStore(16, HOUR);
    traces.record("logid-a", 1_000, "n1", Step.ACCEPTED, step -> step.put("msgid", "1"));
    traces.record("logid-b", 1_000, "n1", Step.ACCEPTED, step -> step.put("msgid", "2"));
    traces.record(
        "logid-a", 1_000, "n1", Step.PUSHED, step -> step.put("msgid", "1").put("session", "s1"));

    JsonArray steps = traces.steps("logid-a", 2_000);

    assertEquals(List.of("accepted", "pushed"), names(steps));
    assertEquals(
        new JsonObject()
            .put("ts", 1_000L)
            .put("node", "n1")
            .put("step", "pushed")
            .put("msgid", "1")
            .put("session", "s1"),
        steps.getJsonObject(1));
  }

  @Test
  void theOldestStepsAreOverwrittenWhenTheRingIsFull() {
    TraceStore traces = new TraceStore(3, HOUR);
    traces.record("old", 1, "n1", Step.ACCEPTED, step -> {});
    traces.record("new", 2, "n1", Step.ACCEPTED, step -> {});
    traces.record("new", 3, "n1", Step.PUSHED, step -> {});
    traces.record("new", 4, "n1", Step.ACKED, step -> {});

    assertEquals(List.of(), names(traces.steps("old", 5)));
    assertEquals(List.of("accepted", "pushed", "acked"), names(traces.steps("new", 5)));
  }

  @Test
  void stepsOlderThanTheRetentionAreNotReturned() {
    TraceStore traces = new TraceStore(8, 1_000);
    traces.record("logid-a", 1_000, "n1", Step.ACCEPTED, step -> {});
    traces.record("logid-a", 2_500, "n1", Step.PUSHED, step -> {});

    assertEquals(List.of("pushed"), names(traces.steps("logid-a", 2_600)));
  }

  @Test
  void aStoreOfNoCapacityKeepsNothing() {
    TraceStore traces = new TraceStore(0, HOUR);
    traces.record("logid-a", 1, "n1", Step.ACCEPTED, step -> {});

    assertEquals(List.of(), names(traces.steps("logid-a", 2)));
  }

  @Test
  void aStepKeepsTheTypeOfEachField() {
    TraceStore traces = new TraceStore(16, HOUR);
    traces.record(
        "logid-a",
        7,
        "node-ü",
        Step.NOTIFY_FAILED,
        step ->
            step.put("text", "naïve 🚚 \u2028 \"quoted\"")
                .put("count", 42)
                .put("latency_ms", Long.MAX_VALUE)
                .putId("msgid", 1234567890123456789L)
                .put("device", (String) null));

    assertEquals(
        new JsonObject()
            .put("ts", 7L)
            .put("node", "node-ü")
            .put("step", "notify_failed")
            .put("text", "naïve 🚚 \u2028 \"quoted\"")
            .put("count", 42)
            .put("latency_ms", Long.MAX_VALUE)
            .put("msgid", "1234567890123456789")
            .putNull("device"),
        traces.steps("logid-a", 8).getJsonObject(0));
  }

  @Test
  void aLongStringIsKeptCutAtACharacterBoundary() {
    TraceStore traces = new TraceStore(16, HOUR);
    String ascii = "x".repeat(TraceStore.MAX_STRING_BYTES + 10);
    String wide = "é".repeat(TraceStore.MAX_STRING_BYTES);
    traces.record("logid-a", 1, "n1", Step.FAILED, step -> step.put("a", ascii).put("w", wide));

    JsonObject step = traces.steps("logid-a", 2).getJsonObject(0);

    assertEquals(ascii.substring(0, TraceStore.MAX_STRING_BYTES), step.getString("a"));
    assertEquals(wide.substring(0, TraceStore.MAX_STRING_BYTES / 2), step.getString("w"));
  }

  @Test
  void aStringIsCutAtTheLastWholeCharacterWhateverCharacterMeetsTheLimit() {
    int max = TraceStore.MAX_STRING_BYTES;
    String truck = "\uD83D\uDE9A";
    Map<String, String> keptOf = new LinkedHashMap<>();
    keptOf.put("x".repeat(max), "x".repeat(max));
    keptOf.put("x".repeat(max) + "é", "x".repeat(max));
    keptOf.put("x".repeat(max - 1) + "é", "x".repeat(max - 1));
    keptOf.put("x".repeat(max - 2) + "é", "x".repeat(max - 2) + "é");
    keptOf.put("x".repeat(max - 3) + "€y", "x".repeat(max - 3) + "€");
    keptOf.put("x".repeat(max - 2) + "€", "x".repeat(max - 2));
    keptOf.put("x".repeat(max - 4) + truck + "y", "x".repeat(max - 4) + truck);
    keptOf.put("x".repeat(max - 3) + truck, "x".repeat(max - 3));
    keptOf.put("x".repeat(max - 1) + truck, "x".repeat(max - 1));
    keptOf.put("café", "café");
    keptOf.put("\u0100a\u0141b", "\u0100a\u0141b");
    keptOf.put("a\uD800b\uDC00", "a?b?");
    keptOf.put("", "");

    for (Map.Entry<String, String> string : keptOf.entrySet()) {
      assertEquals(string.getValue(), keptString(string.getKey()), string.getKey());
    }
  }

  @Test
  void aStringIsKeptAsItsUtf8CutAtACharacterBoundary() {
    Random random = new Random(20);
    char[] unusual = {'é', 'ÿ', '\u0100', '\u0141', '€', '\uFFFF', '\uD83D', '\uDE9A', '\uD800'};
    for (int i = 0; i < 2_000; i++) {
      StringBuilder string = new StringBuilder();
      int length = TraceStore.MAX_STRING_BYTES - 8 + random.nextInt(16) - (i % 3) * 300;
      for (int c = 0; c < length; c++) {
        if (random.nextInt(40) == 0) {
          string.append(unusual[random.nextInt(unusual.length)]);
        } else if (random.nextInt(200) == 0) {
          string.append("\uD83D\uDE9A");
        } else {
          string.append((char) random.nextInt(0x80));
        }
      }
      String value = string.toString();

      assertEquals(utf8Cut(value), keptString(value), value);
    }
  }

  @Test
  void stepsWhoseBytesWereOverwrittenAreNotReturned() {
    // steps of ~1 KB in a log sized for ~128 bytes a step: the oldest heads outlive their bytes
    int capacity = 1_000;
    TraceStore traces = new TraceStore(capacity, HOUR);
    for (int i = 0; i < capacity; i++) {
      String filler = Integer.toString(i).repeat(1_000 / Integer.toString(i).length());
      traces.record("logid-" + i, i, "n1", Step.PUSHED, step -> step.put("filler", filler));
    }

    assertEquals(0, traces.steps("logid-0", capacity).size());
    int last = capacity - 1;
    assertEquals(
        String.valueOf(last).repeat(1_000 / 3),
        traces.steps("logid-" + last, capacity).getJsonObject(0).getString("filler"));
  }

  @Test
  void readersSeeWholeStepsWhileManyThreadsRecord() throws Exception {
    TraceStore traces = new TraceStore(2_000, HOUR);
    int threads = 4;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String logid = "writer-" + t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    String value = Integer.toString(i);
                    long id = i;
                    traces.record(
                        logid,
                        id,
                        "n1",
                        Step.ROUTED,
                        step -> step.put("i", value).put("n", value.length()).putId("msgid", id));
                  }
                }));
      }
      while (!writers.stream().allMatch(Future::isDone)) {
        for (int t = 0; t < threads; t++) {
          for (Object found : traces.steps("writer-" + t, perThread)) {
            JsonObject step = (JsonObject) found;
            String value = step.getString("i");
            assertEquals(Long.parseLong(value), step.getLong("ts"));
            assertEquals(value.length(), step.getInteger("n"));
            assertEquals(value, step.getString("msgid"));
          }
        }
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      int kept = 0;
      for (int t = 0; t < threads; t++) {
        kept += traces.steps("writer-" + t, perThread).size();
      }
      assertEquals(2_000, kept);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The string {@code value} as a step keeps it. */
  private static String keptString(String value) {
    TraceStore traces = new TraceStore(4, HOUR);
    traces.record("logid-a", 1, "n1", Step.FAILED, step -> step.put("s", value));
    return traces.steps("logid-a", 2).getJsonObject(0).getString("s");
  }

  /** What a step keeps of a string: the whole characters of its UTF-8 that fit the limit. */
  private static String utf8Cut(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    int take = Math.min(utf8.length, TraceStore.MAX_STRING_BYTES);
    while (take < utf8.length && (utf8[take] & 0xC0) == 0x80) {
      take--;
    }
    return new String(utf8, 0, take, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonArray steps) {
    return steps.stream().map(step -> ((JsonObject) step).getString("step")).toList();
  }
}
