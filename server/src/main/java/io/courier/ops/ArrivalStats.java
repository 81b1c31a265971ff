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

  private final ConcurrentMap<Key, Buckets> counts = new ConcurrentHashMap<>();

  record Key(String kind, String appcode, String msgtype, Step outcome) {}

  /** The counts of {@code key}, to be counted into directly on a hot path. */
  Buckets of(Key key) {
    return counts.computeIfAbsent(key, k -> new Buckets());
  }

  /**
   * Counts per outcome over the last {@code windowSeconds}, for the labels {@code appcode} and
   * {@code msgtype} (null: all). The result is {@code {outcome: count}}.
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
    return totals;
  }

  private static long slotOf(long nowMs) {
    return nowMs / 1000 / BUCKET_SECONDS;
  }

  /** One key's ring of buckets; each bucket remembers which time slot it counts. */
  static final class Buckets {
    private final long[] counts = new long[BUCKETS];
    private final long[] slots = new long[BUCKETS];

    synchronized void count(long nowMs) {
      long slot = slotOf(nowMs);
      int index = (int) (slot % BUCKETS);
      if (slots[index] != slot) {
        slots[index] = slot;
        counts[index] = 0;
      }
      counts[index]++;
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
