package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bytes of a connection's writes not yet completed, oldest first. */
class PendingWritesTest {
  private final PendingWrites writes = new PendingWrites();

  @Test
  void completionsTakeTheOldestWriteFirst() {
    writes.add(100);
    writes.add(20);
    writes.add(3);
    assertEquals(123, writes.bytes());

    writes.completeOldest();
    assertEquals(23, writes.bytes());
    writes.completeOldest();
    assertEquals(3, writes.bytes());
    assertEquals(1, writes.frames());
  }

  @Test
  void countStaysExactThroughGrowthAndWrapAround() {
    long expected = 0;
    long oldest = 1;
    long next = 1;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < round * 7 % 300; i++) {
        writes.add((int) next);
        expected += next++;
      }
      for (int i = 0; i < round * 5 % 200 && oldest < next; i++) {
        writes.completeOldest();
        expected -= oldest++;
      }
      assertEquals(expected, writes.bytes(), "round " + round);
      assertEquals(next - oldest, writes.frames(), "round " + round);
    }
    while (oldest < next) {
      writes.completeOldest();
      expected -= oldest++;
    }
    assertEquals(0, writes.bytes());
  }

  @Test
  void completionWithNothingCountedChangesNothing() {
    writes.completeOldest();
    writes.add(7);
    assertEquals(7, writes.bytes());
  }

  @Test
  void ringGivenBackAfterABurstStillCountsExactly() {
    for (int i = 0; i < 1_000; i++) {
      writes.add(1);
    }
    for (int i = 0; i < 1_000; i++) {
      writes.completeOldest();
    }
    writes.add(5);
    writes.add(6);
    writes.completeOldest();
    assertEquals(6, writes.bytes());
  }
}
