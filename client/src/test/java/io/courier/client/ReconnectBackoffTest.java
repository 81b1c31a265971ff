package io.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waits between reconnection attempts, drawn from a fixed random source. */
class ReconnectBackoffTest {
  private static final int DRAWS = 10_000;

  private final ReconnectBackoff backoff =
      new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(11));

  @Test
  void theWindowDoublesWithEachFailureUpToTheCap() {
    long[] windows = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
    for (int failures = 1; failures <= windows.length; failures++) {
      long longest = 0;
      for (int i = 0; i < DRAWS; i++) {
        long delay = backoff.delayMs(failures, null);
        assertTrue(delay >= 0 && delay <= windows[failures - 1], failures + ": " + delay);
        longest = Math.max(longest, delay);
      }
      assertTrue(
          longest > windows[failures - 1] * 0.99,
          failures + " failures: the window is not used up to " + windows[failures - 1]);
    }
  }

  @Test
  void fullJitterSpreadsTheWaitsEvenlyFromZero() {
    int[] tenths = new int[10];
    for (int i = 0; i < DRAWS; i++) {
      tenths[(int) Math.min(9, backoff.delayMs(4, null) * 10 / 4_000)]++;
    }
    for (int tenth = 0; tenth < 10; tenth++) {
      assertEquals(DRAWS / 10, tenths[tenth], DRAWS / 10 * 0.12, "tenth " + tenth);
    }
  }

  @Test
  void aServerHintIsTheLeastWaitAndIsItselfCapped() {
    for (int i = 0; i < DRAWS; i++) {
      assertEquals(2_750, backoff.delayMs(1, 2_750L), "a hint above the 500 ms window wins");
      long later = backoff.delayMs(7, 2_750L);
      assertTrue(later >= 2_750 && later <= 30_000, "the window may exceed the hint: " + later);
    }
    assertEquals(30_000, backoff.delayMs(1, 3_600_000L), "an hour's hint is capped");
  }

  @Test
  void manyFailuresNeitherOverflowNorExceedTheCap() {
    for (int failures : new int[] {62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      long delay = backoff.delayMs(failures, null);
      assertTrue(delay >= 0 && delay <= 30_000, failures + ": " + delay);
    }
  }

  @Test
  void theSameSeedGivesTheSameWaits() {
    ReconnectBackoff again =
        new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(11));
    for (int failures = 1; failures < 20; failures++) {
      assertEquals(backoff.delayMs(failures, null), again.delayMs(failures, null));
    }
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> backoff.delayMs(0, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
  }
}
