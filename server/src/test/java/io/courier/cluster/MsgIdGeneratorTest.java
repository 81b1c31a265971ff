package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.CourierException;
import io.courier.protocol.Code;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MsgIdGeneratorTest {
  private static final long NOW = 1_795_000_000_000L;

  @Test
  void encodesTimeAndNode() {
    long id = new MsgIdGenerator(513, () -> NOW, 0).next();
    assertEquals(NOW, MsgIdGenerator.timeOf(id));
    assertEquals(513, MsgIdGenerator.nodeOf(id));
    assertTrue(id > 0);
  }

  @Test
  void neverGoesBackwardsWhenTheClockDoes() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = new MsgIdGenerator(7, clock::get, 0);
    long previous = ids.next();
    for (long step : new long[] {0, -1, -5000, 3, -3, 0, 10_000, -20_000}) {
      clock.addAndGet(step);
      long id = ids.next();
      assertTrue(Long.compareUnsigned(id, previous) > 0, "id " + id + " after " + previous);
      assertEquals(7, MsgIdGenerator.nodeOf(id));
      previous = id;
    }
  }

  @Test
  void moreThan4096IdsInOneMillisecondBorrowTheNextMillisecond() {
    MsgIdGenerator ids = new MsgIdGenerator(1, () -> NOW, 0);
    Set<Long> seen = new HashSet<>();
    long previous = 0;
    for (int i = 0; i < 10_000; i++) {
      long id = ids.next();
      assertTrue(id > previous);
      assertTrue(seen.add(id));
      assertEquals(1, MsgIdGenerator.nodeOf(id));
      previous = id;
    }
    assertEquals(NOW + 2, MsgIdGenerator.timeOf(previous));
  }

  @Test
  void floorCarriesMonotonicityAcrossARestartWithAClockBehind() {
    long issued = new MsgIdGenerator(3, () -> NOW + 60_000, 0).next();
    long afterRestart = new MsgIdGenerator(3, () -> NOW, issued).next();
    assertTrue(afterRestart > issued);
  }

  @Test
  void idsOfDifferentNodesDiffer() {
    assertTrue(
        new MsgIdGenerator(1, () -> NOW, 0).next() != new MsgIdGenerator(2, () -> NOW, 0).next());
  }

  @Test
  void nodeIdIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> new MsgIdGenerator(1024, () -> NOW, 0));
    assertThrows(IllegalArgumentException.class, () -> new MsgIdGenerator(-1, () -> NOW, 0));
    MsgIdGenerator leased = MsgIdGenerator.leased(() -> NOW, 0, 2_500);
    assertThrows(IllegalArgumentException.class, () -> leased.confirm(1024, NOW));
  }

  @Test
  void aLeasedGeneratorIssuesNothingBeforeItsFirstConfirmation() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = MsgIdGenerator.leased(clock::get, 0, 2_500);

    assertUnavailable(ids);
    ids.confirm(5, NOW);
    assertEquals(5, MsgIdGenerator.nodeOf(ids.next()));
  }

  @Test
  void aConfirmationLastsMaxLeaseAgeFromTheStartOfItsCheck() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = MsgIdGenerator.leased(clock::get, 0, 2_500);
    ids.confirm(5, NOW - 500);

    clock.set(NOW + 2_000);
    assertEquals(5, MsgIdGenerator.nodeOf(ids.next()));
    clock.set(NOW + 2_001);
    assertUnavailable(ids);

    ids.confirm(5, NOW + 1_900);
    assertEquals(5, MsgIdGenerator.nodeOf(ids.next()));
  }

  @Test
  void aPauseLongerThanTheBoundIsRefusedAtTheFirstIdAfterIt() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = MsgIdGenerator.leased(clock::get, 0, 2_500);
    ids.confirm(2, NOW);
    ids.next();

    clock.addAndGet(9_000);

    assertUnavailable(ids);
  }

  @Test
  void aClockSteppedBackBehindTheConfirmationIsRefusedUntilTheNextOne() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = MsgIdGenerator.leased(clock::get, 0, 2_500);
    ids.confirm(2, NOW);

    clock.set(NOW - 1);
    assertUnavailable(ids);
    ids.confirm(2, NOW - 1);
    assertEquals(2, MsgIdGenerator.nodeOf(ids.next()));
  }

  @Test
  void aRevokedLeaseIssuesNothingAndANewNodeIdContinuesAboveEveryIssuedId() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = MsgIdGenerator.leased(clock::get, 0, 2_500);
    ids.confirm(9, NOW);
    long underNine = 0;
    for (int i = 0; i < 100; i++) {
      underNine = ids.next();
    }

    ids.revoke();
    assertUnavailable(ids);
    ids.confirm(3, NOW);
    long underThree = ids.next();

    assertEquals(3, MsgIdGenerator.nodeOf(underThree));
    assertTrue(underThree > underNine, underThree + " after " + underNine);
  }

  @Test
  void aFixedNodeIdNeverExpires() {
    AtomicLong clock = new AtomicLong(NOW);
    MsgIdGenerator ids = new MsgIdGenerator(4, clock::get, 0);

    clock.addAndGet(365L * 24 * 3600 * 1000);

    assertEquals(4, MsgIdGenerator.nodeOf(ids.next()));
  }

  @Test
  void concurrentCallersGetDistinctIds() throws InterruptedException {
    MsgIdGenerator ids = new MsgIdGenerator(9, System::currentTimeMillis, 0);
    Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 50_000; i++) {
                  seen.add(ids.next());
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(200_000, seen.size());
  }

  private static void assertUnavailable(MsgIdGenerator ids) {
    CourierException refused = assertThrows(CourierException.class, ids::next);
    assertEquals(Code.UNAVAILABLE, refused.code());
  }
}
