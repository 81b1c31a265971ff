package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
