package io.courier.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When each business C2S consumer is away (unregistered), drawn from the seed: windows in which all
 * of them are away at once, each coming back at a time of its own, so that qos-1 C2S are stored and
 * then drained by whichever consumer returns first, on any node; and windows in which one alone is
 * away, so that the others take its share. Times are ms since the workload started.
 */
final class ConsumerSchedule {
  /** How far ahead windows are drawn: longer than any run. */
  private static final long HORIZON_MS = 6 * 3_600_000L;

  private static final long FIRST_MS = 20_000;

  private final List<List<long[]>> away = new ArrayList<>();

  ConsumerSchedule(long seed, int consumers) {
    for (int i = 0; i < consumers; i++) {
      away.add(new ArrayList<>());
    }
    Random all = new Random(seed * 31 + 7);
    for (long start = FIRST_MS + all.nextInt(15_000);
        start < HORIZON_MS;
        start += 20_000 + all.nextInt(20_000)) {
      long length = 3_000 + all.nextInt(4_000);
      for (List<long[]> windows : away) {
        windows.add(new long[] {start, start + length + all.nextInt(3_000)});
      }
    }
    for (int i = 0; i < consumers; i++) {
      Random one = new Random(seed * 31 + 11 + i);
      for (long start = FIRST_MS / 2 + one.nextInt(20_000);
          start < HORIZON_MS;
          start += 15_000 + one.nextInt(25_000)) {
        away.get(i).add(new long[] {start, start + 2_000 + one.nextInt(3_000)});
      }
    }
  }

  /** Whether consumer {@code index} is registered at {@code elapsedMs} after the start. */
  boolean present(int index, long elapsedMs) {
    for (long[] window : away.get(index)) {
      if (elapsedMs >= window[0] && elapsedMs < window[1]) {
        return false;
      }
    }
    return true;
  }
}
