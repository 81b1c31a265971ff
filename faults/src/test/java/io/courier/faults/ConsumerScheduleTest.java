package io.courier.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The consumers' comings and goings: drawn from the seed, with all away at times and one alone. */
class ConsumerScheduleTest {
  private static final long RUN_MS = 150_000;

  @Test
  void oneSeedGivesOneSchedule() {
    ConsumerSchedule first = new ConsumerSchedule(42, 3);
    ConsumerSchedule second = new ConsumerSchedule(42, 3);
    for (long t = 0; t < RUN_MS; t += 100) {
      for (int i = 0; i < 3; i++) {
        assertEquals(first.present(i, t), second.present(i, t), "consumer " + i + " at " + t);
      }
    }
  }

  @Test
  void allGoAwayTogetherAndEachAloneAndTheyComeBackAtDifferentTimes() {
    for (long seed : new long[] {1, 3, 7, 42}) {
      ConsumerSchedule schedule = new ConsumerSchedule(seed, 3);
      long allAway = 0;
      long oneAway = 0;
      long twoAway = 0;
      for (long t = 0; t < RUN_MS; t += 100) {
        int away = 0;
        for (int i = 0; i < 3; i++) {
          away += schedule.present(i, t) ? 0 : 1;
        }
        allAway += away == 3 ? 1 : 0;
        twoAway += away == 2 ? 1 : 0;
        oneAway += away == 1 ? 1 : 0;
      }
      assertTrue(allAway > 0, "seed " + seed + ": never all away");
      assertTrue(oneAway > 0, "seed " + seed + ": never one alone away");
      assertTrue(twoAway > 0, "seed " + seed + ": the consumers never came back one by one");
      assertTrue(allAway < RUN_MS / 100 / 4, "seed " + seed + ": all away too long");
    }
  }

  @Test
  void theFirstSecondsHaveEveryConsumer() {
    ConsumerSchedule schedule = new ConsumerSchedule(42, 3);
    for (long t = 0; t < 10_000; t += 100) {
      for (int i = 0; i < 3; i++) {
        assertTrue(schedule.present(i, t), "consumer " + i + " away at " + t);
      }
    }
  }
}
