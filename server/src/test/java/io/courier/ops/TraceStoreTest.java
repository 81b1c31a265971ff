package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.body.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
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

  private static List<String> names(JsonArray steps) {
    return steps.stream().map(step -> ((JsonObject) step).getString("step")).toList();
  }
}
