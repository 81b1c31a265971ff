package io.courier.ops;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Delivery counts of this node over the last hour, in {@value #BUCKET_SECONDS}-second buckets, by
 * {@code (kind, appcode, msgtype, outcome)}: what the arrival report sums over a window. Counters in the
 * metrics registry hold the totals since start; these buckets answer "in the last N minutes" without
 * Prometheus. Thread-safe.
 */
public final class ArrivalStats {
  public static final int BUCKET_SECONDS = 10;
  public static final int BUCKETS = 360;

  private final Map<Key, long[]> counts = new HashMap<>();
  private final long[] bucketStart = new long[BUCKETS];

  record Key(String kind, int appcode, int msgtype, String outcome) {
  }

  public synchronized void count(Key key, long nowMs) {
    long slot = nowMs / 1000 / BUCKET_SECONDS;
    int index = (int) (slot % BUCKETS);
    if (bucketStart[index] != slot) {
      bucketStart[index] = slot;
      counts.values().forEach(buckets -> buckets[index] = 0);
    }
    counts.computeIfAbsent(key, k -> new long[BUCKETS])[index]++;
  }

  /**
   * Counts per outcome over the last {@code windowSeconds}, for {@code appcode} and {@code msgtype} (null: all).
   * The result is {@code {outcome: count}}.
   */
  public synchronized JsonObject sum(Integer appcode, Integer msgtype, int windowSeconds, long nowMs) {
    long newest = nowMs / 1000 / BUCKET_SECONDS;
    long oldest = newest - Math.max(1, windowSeconds / BUCKET_SECONDS) + 1;
    JsonObject totals = new JsonObject();
    counts.forEach((key, buckets) -> {
      if ((appcode != null && key.appcode() != appcode) || (msgtype != null && key.msgtype() != msgtype)) {
        return;
      }
      long sum = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (bucketStart[i] >= oldest && bucketStart[i] <= newest) {
          sum += buckets[i];
        }
      }
      totals.put(key.outcome(), totals.getLong(key.outcome(), 0L) + sum);
    });
    return totals;
  }
}
