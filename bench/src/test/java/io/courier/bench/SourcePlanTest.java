package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePlanTest {

  @Test
  void keepsASmallPlanOnTheFirstAddress() {
    SourcePlan plan = SourcePlan.of("127.0.0.2", 0, 2_000, 25_000);
    assertEquals(List.of(new SourcePlan.Slice("127.0.0.2", 0, 2_000)), plan.slices());
    assertEquals("127.0.0.2", plan.addressOf(0));
    assertEquals("127.0.0.2", plan.addressOf(1_999));
  }

  @Test
  void startsANewAddressEveryPerAddressConnections() {
    SourcePlan plan = SourcePlan.of("127.0.0.2", 0, 10, 4);
    assertEquals(
        List.of(
            new SourcePlan.Slice("127.0.0.2", 0, 4),
            new SourcePlan.Slice("127.0.0.3", 4, 4),
            new SourcePlan.Slice("127.0.0.4", 8, 2)),
        plan.slices());
    assertEquals("127.0.0.3", plan.addressOf(7));
    assertEquals("127.0.0.4", plan.addressOf(8));
  }

  @Test
  void placesConnectionsByGlobalIndexSoProcessesShareAddresses() {
    // second process of two, 19,000 each: its first 6,000 fill 127.0.0.2 up to 25,000, the rest go
    // to .3
    SourcePlan plan = SourcePlan.of("127.0.0.2", 19_000, 19_000, 25_000);
    assertEquals(
        List.of(
            new SourcePlan.Slice("127.0.0.2", 0, 6_000),
            new SourcePlan.Slice("127.0.0.3", 6_000, 13_000)),
        plan.slices());
  }

  @Test
  void slicesCoverEveryConnectionOnce() {
    SourcePlan plan = SourcePlan.of("127.0.0.2", 7, 1_000, 33);
    int next = 0;
    for (SourcePlan.Slice slice : plan.slices()) {
      assertEquals(next, slice.first());
      for (int i = slice.first(); i < slice.first() + slice.count(); i++) {
        assertEquals(slice.address(), plan.addressOf(i));
      }
      next += slice.count();
    }
    assertEquals(1_000, next);
  }

  @Test
  void carriesIntoTheNextOctet() {
    SourcePlan plan = SourcePlan.of("127.0.0.255", 0, 3, 2);
    assertEquals("127.0.0.255", plan.addressOf(1));
    assertEquals("127.0.1.0", plan.addressOf(2));
  }

  @Test
  void acceptsNineteenThousandAndRefusesMoreWithAdvice() {
    assertEquals(19_000, SourcePlan.of("127.0.0.2", 0, 19_000, 25_000).count());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> SourcePlan.of("127.0.0.2", 0, 19_001, 25_000));
    assertTrue(refused.getMessage().contains("19,000"), refused.getMessage());
    assertTrue(refused.getMessage().contains("several bench processes"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--uid-offset"), refused.getMessage());
  }

  @Test
  void refusesAddressesOutsideLoopback() {
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("10.0.0.2", 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("localhost", 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("127.0.0.256", 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("127.255.255.254", 0, 3, 1));
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("127.0.0.2", -1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.of("127.0.0.2", 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> SourcePlan.checkCount(-1));
  }
}
