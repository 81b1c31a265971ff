package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.MetricMsgtypes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The labels delivery counts are kept under: configured msgtypes apart, the rest as other. */
class DeliveryLabelsTest {
  private final DeliveryLabels labels =
      new DeliveryLabels(
          Set.of(101, 201, 301),
          new MetricMsgtypes(Map.of(101, Set.of(9, 1, 2), 201, Set.of(1), 999, Set.of(5))));

  @Test
  void aConfiguredMsgtypeIsCountedUnderItsNumber() {
    int slot = labels.slot(101, 9);
    assertEquals("101", labels.appcode(slot));
    assertEquals("9", labels.msgtype(slot));
    assertEquals("1", labels.msgtype(labels.slot(201, 1)));
    assertEquals("201", labels.appcode(labels.slot(201, 1)));
  }

  @Test
  void anyOtherMsgtypeOfAConfiguredAppcodeIsCountedAsOther() {
    int other = labels.slot(101, 3);
    assertEquals("101", labels.appcode(other));
    assertEquals("other", labels.msgtype(other));
    assertEquals(other, labels.slot(101, 0));
    assertEquals(other, labels.slot(101, 65535));
    assertEquals("other", labels.msgtype(labels.slot(201, 2)), "201 counts only msgtype 1 apart");
    assertEquals("other", labels.msgtype(labels.slot(301, 1)), "301 counts no msgtype apart");
    assertEquals("301", labels.appcode(labels.slot(301, 1)));
  }

  @Test
  void anAppcodeThatIsNotConfiguredIsCountedAsOtherOther() {
    for (int appcode : new int[] {1, 102, 999, 65535}) {
      int slot = labels.slot(appcode, 5);
      assertEquals("other", labels.appcode(slot), "appcode " + appcode);
      assertEquals("other", labels.msgtype(slot), "appcode " + appcode);
    }
    assertFalse(labels.configured(999), "msgtypes of an appcode outside apps are ignored");
    assertTrue(labels.configured(301));
  }

  @Test
  void sprayingEveryMsgtypeToEveryAppcodeReachesOnlyTheConfiguredSlots() {
    Set<Integer> reached = new HashSet<>();
    for (int appcode = 1; appcode <= 65535; appcode += 997) {
      for (int msgtype = 0; msgtype <= 65535; msgtype++) {
        reached.add(labels.slot(appcode, msgtype));
      }
    }
    for (int msgtype = 0; msgtype <= 65535; msgtype++) {
      reached.add(labels.slot(101, msgtype));
      reached.add(labels.slot(201, msgtype));
      reached.add(labels.slot(301, msgtype));
    }
    // 101: 1, 2, 9, other; 201: 1, other; 301: other; and (other, other)
    assertEquals(8, labels.slots());
    assertEquals(8, reached.size());
  }

  @Test
  void theArrivalReportCanAskOnlyForMsgtypesCountedApart() {
    assertTrue(labels.countsApart(101, 9));
    assertTrue(labels.countsApart(null, 1));
    assertFalse(labels.countsApart(301, 1));
    assertFalse(labels.countsApart(null, 3));
    assertFalse(labels.countsApart(999, 5));
  }
}
