package io.courier.push;

import static io.courier.push.PushFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.courier.config.MetricMsgtypes;
import io.courier.config.PushRule;
import io.courier.config.PushRules;
import io.courier.contract.Receipts;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded intake: rules first, overflow counted and never waited for, one wake per batch. */
class IntakeTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Tracker tracker =
      new Tracker(
          "node-1",
          meters,
          new TraceStore(100, 60_000),
          new ArrivalStats(),
          new DeliveryLabels(Set.of(101), MetricMsgtypes.none()),
          new Receipts(null),
          NotifiedMarks.inMemory(),
          () -> 1_000);

  private static PushRules rules(int msgtype, PushRule rule) {
    Map<Integer, PushRule> byMsgtype = new TreeMap<>(Map.of(msgtype, rule));
    return new PushRules(
        Map.of(101, new PushRules.AppRules(PushRule.WAKE, new TreeMap<>(byMsgtype))));
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() {
    Intake intake = new Intake(new WakeRules(PushRules.allWake()), 2, tracker);
    intake.drainWith(() -> {});

    for (long msgid = 1; msgid <= 5; msgid++) {
      intake.stored(message(msgid, "alice"));
    }

    assertEquals(2, intake.size());
    assertEquals(
        3.0, meters.get("courier.push.notifications").tags("result", "overflow").counter().count());
  }

  @Test
  void aMsgtypeWhoseRuleIsNeverIsNotQueued() {
    Intake intake = new Intake(new WakeRules(rules(7, PushRule.NEVER)), 10, tracker);
    intake.drainWith(() -> {});

    intake.stored(new Message(1, Kind.S2C, "", 0, "alice", 101, 7, "lat=1", 1_000, "log-never-1"));
    intake.stored(message(2, "alice"));

    assertEquals(2, intake.poll().message().msgid());
    assertNull(intake.poll());
  }

  @Test
  void theQueueHoldsNoContentAndAPreviewOnlyWhenAllowed() {
    Intake intake = new Intake(new WakeRules(rules(9, PushRule.PREVIEW)), 10, tracker);
    intake.drainWith(() -> {});

    intake.stored(message(1, "alice"));
    intake.stored(
        new Message(2, Kind.C2C, "bob", 101, "alice", 101, 9, "<font>hi</font> &amp; bye", 1, "l"));

    Trigger plain = intake.poll();
    Trigger preview = intake.poll();
    assertEquals("", plain.message().content());
    assertNull(plain.preview());
    assertEquals("", preview.message().content());
    assertEquals("hi & bye", preview.preview());
  }

  @Test
  void theDrainerIsWokenOncePerBatch() {
    Intake intake = new Intake(new WakeRules(PushRules.allWake()), 10, tracker);
    AtomicInteger wakes = new AtomicInteger();
    intake.drainWith(wakes::incrementAndGet);

    intake.stored(message(1, "alice"));
    intake.stored(message(2, "alice"));
    assertEquals(1, wakes.get());

    intake.draining();
    intake.poll();
    intake.poll();
    intake.stored(message(3, "alice"));
    assertEquals(2, wakes.get());
  }

  @Test
  void beforeThePushRoleDrainsItNothingIsTaken() {
    Intake intake = new Intake(new WakeRules(PushRules.allWake()), 10, tracker);

    intake.stored(message(1, "alice"));

    assertEquals(0, intake.size());
  }

  @Test
  void aLongPreviewIsCutAtAHundredCharacters() {
    String content = "é".repeat(150);
    String preview =
        WakeRules.preview(new Message(1, Kind.S2C, "", 0, "alice", 101, 9, content, 1, "l"));

    assertEquals("é".repeat(WakeRules.PREVIEW_CHARS) + "…", preview);
  }
}
