package io.courier.cluster;

import static io.courier.cluster.LeaseFence.Trust.PROVE;
import static io.courier.cluster.LeaseFence.Trust.READ;
import static io.courier.cluster.LeaseFence.Trust.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The lease checks' rules, on the timings of conf/cluster.xml: heartbeats every 1 s, dead at 5 s.
 */
class LeaseFenceTest {
  private static final long T = 1_000_000;
  private final LeaseFence fence = new LeaseFence(1_000, 5_000);

  @Test
  void aConfirmationLastsLessThanTheDetectorNeedsToReleaseTheLease() {
    assertEquals(2_500, fence.maxLeaseAgeMs());
    assertEquals(53_500, new LeaseFence(5_000, 60_000).maxLeaseAgeMs(), "Hazelcast's defaults");
  }

  @Test
  void failureDetectionTooFastForLeasesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LeaseFence(1_000, 3_000));
  }

  @Test
  void checksOnTimeReadTheLease() {
    checks(T, T + 10_000, 2, READ);
    assertEquals(
        READ, fence.start(T + 10_000 + LeaseFence.MAX_CHECK_GAP_MS, 2), "late, not stalled");
  }

  @Test
  void aSlowCheckIsNoStallWhileTheNodeTicks() {
    checkAndConfirm(T, 2);
    for (long at = T + 500; at < T + 4_000; at += LeaseFence.CHECK_INTERVAL_MS) {
      fence.tick(at);
    }

    assertEquals(READ, fence.start(T + 4_000, 2));
  }

  @Test
  void afterAStallMembershipIsProvedOnceTheNodeRanLongEnoughAgain() {
    checkAndConfirm(T, 2);

    assertEquals(WAIT, fence.start(T + 9_000, 2), "the check right after the pause");
    checks(T + 9_500, T + 11_000, 2, WAIT);
    assertEquals(PROVE, fence.start(T + 11_500, 2));
    assertEquals(PROVE, fence.start(T + 12_000, 2), "no proof yet: asks again");
    fence.proved();

    assertEquals(READ, fence.start(T + 12_500, 2));
  }

  @Test
  void aNodeLeftAloneByAStallWaitsForTheOthers() {
    checkAndConfirm(T, 1);

    assertEquals(WAIT, fence.start(T + 9_000, 1));
    checks(T + 9_500, T + 20_000, 0, WAIT);
    assertEquals(PROVE, fence.start(T + 20_500, 2), "merged back");
  }

  @Test
  void aNodeThatWasAloneBeforeTheStallHasNoOneToBeDeclaredDeadBy() {
    checkAndConfirm(T, 0);

    assertEquals(READ, fence.start(T + 9_000, 0));
  }

  @Test
  void aStallDuringTheWaitRestartsIt() {
    checkAndConfirm(T, 2);
    assertEquals(WAIT, fence.start(T + 9_000, 2));
    assertEquals(WAIT, fence.start(T + 11_000, 2), "stalled again");

    checks(T + 11_500, T + 13_000, 2, WAIT);
    assertEquals(PROVE, fence.start(T + 13_500, 2));
  }

  @Test
  void aClockSteppedBackCountsAsAStall() {
    checkAndConfirm(T, 2);

    assertEquals(WAIT, fence.start(T - 1, 2));
  }

  /** Checks on time from {@code from} to {@code until}, each of which may only {@code trust}. */
  private void checks(long from, long until, int others, LeaseFence.Trust trust) {
    for (long at = from; at <= until; at += LeaseFence.CHECK_INTERVAL_MS) {
      assertEquals(trust, fence.start(at, others), "check at T + " + (at - T));
    }
  }

  private void checkAndConfirm(long at, int others) {
    assertEquals(READ, fence.start(at, others));
    fence.confirmed(others);
  }
}
