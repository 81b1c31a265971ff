package io.courier.ops;

import io.courier.protocol.body.Step;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Delivery counts of this node over the last hour, in {@value #BUCKET_SECONDS}-second buckets, by
 * {@code (kind, appcode, msgtype, outcome)} with the labels of {@link DeliveryLabels} (so a bounded
 * set of keys): what the arrival report sums over a window. Counters in the metrics registry hold
 * the totals since start; these buckets answer "in the last N minutes" without Prometheus.
 * Thread-safe; each key has its own lock, so event loops counting different outcomes do not wait
 * for each other.
 */
public final class ArrivalStats {
  public static final int BUCKET_SECONDS = 10;
  public static final int BUCKETS = 360;

  /** The report's object of the {@link Reach} counts. */
  public static final String REACH = "reach";

  /** The report's object of the summed accept-to-reach times in ms, per {@link Reach} path. */
  public static final String REACH_MS = "reach_ms";

  /** The report's object of the {@link NotifyResult} counts. */
  public static final String NOTIFICATIONS = "notifications";

  private final ConcurrentMap<Key, Buckets> counts = new ConcurrentHashMap<>();
  private final ConcurrentMap<Tally, Buckets> tallies = new ConcurrentHashMap<>();

  record Key(String kind, String appcode, String msgtype, Step outcome) {}

  /**
   * A count of the reach statistics: {@code family} {@value #REACH} (a {@link Reach} path, its
   * buckets also summing the accept-to-reach times) or {@value #NOTIFICATIONS} (a {@link
   * NotifyResult}).
   */
  record Tally(String appcode, String msgtype, String family, String name) {}

  /** The counts of {@code key}, to be counted into directly on a hot path. */
  Buckets of(Key key) {
    return counts.computeIfAbsent(key, k -> new Buckets());
  }

  /** The counts of {@code tally}. */
  Buckets of(Tally tally) {
    return tallies.computeIfAbsent(tally, k -> new Buckets());
  }

  /**
   * Counts per outcome over the last {@code windowSeconds}, for the labels {@code appcode} and
   * {@code msgtype} (null: all). The result is {@code {outcome: count}}, with the objects {@value
   * #REACH} {@code {path: count}}, {@value #REACH_MS} {@code {path: summed ms}} and {@value
   * #NOTIFICATIONS} {@code {result: count}}.
   */
  public JsonObject sum(String appcode, String msgtype, int windowSeconds, long nowMs) {
    long newest = slotOf(nowMs);
    long oldest = newest - Math.max(1, windowSeconds / BUCKET_SECONDS) + 1;
    JsonObject totals = new JsonObject();
    counts.forEach(
        (key, buckets) -> {
          if ((appcode != null && !key.appcode().equals(appcode))
              || (msgtype != null && !key.msgtype().equals(msgtype))) {
            return;
          }
          String outcome = key.outcome().wire();
          totals.put(outcome, totals.getLong(outcome, 0L) + buckets.sum(oldest, newest));
        });
    JsonObject reach = new JsonObject();
    JsonObject reachMs = new JsonObject();
    JsonObject notifications = new JsonObject();
    tallies.forEach(
        (tally, buckets) -> {
          if ((appcode != null && !tally.appcode().equals(appcode))
              || (msgtype != null && !tally.msgtype().equals(msgtype))) {
            return;
          }
          JsonObject family = tally.family().equals(REACH) ? reach : notifications;
          family.put(tally.name(), family.getLong(tally.name(), 0L) + buckets.sum(oldest, newest));
          if (family == reach) {
            reachMs.put(
                tally.name(), reachMs.getLong(tally.name(), 0L) + buckets.amount(oldest, newest));
          }
        });
    return totals.put(REACH, reach).put(REACH_MS, reachMs).put(NOTIFICATIONS, notifications);
  }

  private static long slotOf(long nowMs) {
    return nowMs / 1000 / BUCKET_SECONDS;
  }

  /**
   * One key's ring of buckets; each bucket remembers which time slot it counts, and sums an amount
   * per count (the reach statistics' times; 0 elsewhere).
   */
  static final class Buckets {
    private final long[] counts = new long[BUCKETS];
    private final long[] amounts = new long[BUCKETS];
    private final long[] slots = new long[BUCKETS];

    void count(long nowMs) {
      count(nowMs, 0);
    }

    synchronized void count(long nowMs, long amount) {
      long slot = slotOf(nowMs);
      int index = (int) (slot % BUCKETS);
      if (slots[index] != slot) {
        slots[index] = slot;
        counts[index] = 0;
        amounts[index] = 0;
      }
      counts[index]++;
      amounts[index] += amount;
    }

    synchronized long amount(long oldestSlot, long newestSlot) {
      long sum = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (slots[i] >= oldestSlot && slots[i] <= newestSlot) {
          sum += amounts[i];
        }
      }
      return sum;
    }

    synchronized long sum(long oldestSlot, long newestSlot) {
      long sum = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (slots[i] >= oldestSlot && slots[i] <= newestSlot) {
          sum += counts[i];
        }
      }
      return sum;
    }
  }
}
