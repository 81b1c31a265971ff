package io.courier.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.faults.FaultPlan.Fault;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  private static final List<FaultKind> ALL = List.copyOf(EnumSet.allOf(FaultKind.class));

  @Test
  void theSameSeedGivesTheSameFaults() {
    assertEquals(faults(42, 20), faults(42, 20));
    assertNotEquals(faults(42, 20), faults(43, 20));
  }

  @Test
  void everyRoundHoldsEveryKindOnce() {
    List<Fault> faults = faults(7, ALL.size() * 2);
    Set<FaultKind> first = EnumSet.noneOf(FaultKind.class);
    Set<FaultKind> second = EnumSet.noneOf(FaultKind.class);
    for (int i = 0; i < ALL.size(); i++) {
      first.add(faults.get(i).kind());
      second.add(faults.get(ALL.size() + i).kind());
    }
    assertEquals(EnumSet.allOf(FaultKind.class), first);
    assertEquals(EnumSet.allOf(FaultKind.class), second);
  }

  @Test
  void pausesOutlastTheFailureDetectorAndClockFaultsKeepToOneNode() {
    FaultPlan plan = new FaultPlan(3, ALL, 3, 2);
    for (int i = 0; i < 80; i++) {
      Fault fault = plan.next();
      if (fault.kind() == FaultKind.PAUSE) {
        assertTrue(fault.holdMs() > 5_000, fault.toString());
      }
      if (fault.kind() == FaultKind.CLOCK) {
        assertEquals(plan.clockNode(), fault.target());
        assertTrue(Math.abs(fault.amount()) >= 20, fault.toString());
      }
    }
  }

  private static List<Fault> faults(long seed, int count) {
    FaultPlan plan = new FaultPlan(seed, ALL, 3, 2);
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      faults.add(plan.next());
    }
    return faults;
  }
}
