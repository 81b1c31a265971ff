package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step names and statuses as docs/event-bus.md and docs/operations.md list them. */
class StepTest {

  @Test
  void stepsAreNamedOnTheWireInFlowOrder() {
    assertEquals(
        List.of(
            "accepted",
            "handed",
            "routed",
            "pushed",
            "resent",
            "acked",
            "expired",
            "stored",
            "collapsed",
            "notified",
            "notify_failed",
            "pulled",
            "read",
            "failed",
            "dropped"),
        Arrays.stream(Step.values()).map(Step::wire).toList());
  }

  @Test
  void receiptAndS2cStatusesAreTheDocumentedOnes() {
    assertEquals(
        List.of("pushed", "acked", "stored", "pulled", "read"), wire(Step.RECEIPT_STATUSES));
    assertEquals(List.of("pushed", "stored", "dropped"), wire(Step.S2C_STATUSES));
    assertEquals(
        List.of("accepted", "pushed", "acked", "stored", "pulled", "expired", "notified"),
        wire(Step.OUTCOMES));
  }

  @Test
  void aNameIsReadBackAndAnUnknownOneIsNot() {
    for (Step step : Step.values()) {
      assertEquals(step, Step.fromWire(step.wire()));
    }
    assertNull(Step.fromWire("delivered"));
  }

  private static List<String> wire(List<Step> steps) {
    return steps.stream().map(Step::wire).toList();
  }
}
