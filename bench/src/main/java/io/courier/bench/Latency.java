package io.courier.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution recorded from any thread, in microseconds with 3 significant digits
 * (HdrHistogram), summarised as p50 / p99 / p99.9 / max in milliseconds.
 *
 * <p>Values above one hour are recorded as one hour rather than thrown away: a bench that saw such
 * a value has a problem worth showing in the max, not hiding.
 */
public final class Latency {
  /** Largest recordable value: 1 h in µs. */
  static final long MAX_MICROS = 3_600_000_000L;

  private final Histogram histogram = new ConcurrentHistogram(1, MAX_MICROS, 3);

  /** Records {@code nanos} (negative values, from clock adjustments, count as 0). */
  public void recordNanos(long nanos) {
    recordMicros(nanos / 1_000);
  }

  public void recordMicros(long micros) {
    histogram.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
  }

  /** Records the time since {@code startNanos} ({@link System#nanoTime()}). */
  public void recordSince(long startNanos) {
    recordNanos(System.nanoTime() - startNanos);
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public Summary summary() {
    Histogram copy = histogram.copy();
    long count = copy.getTotalCount();
    if (count == 0) {
      return new Summary(0, 0, 0, 0, 0, 0);
    }
    return new Summary(
        count,
        ms(copy.getValueAtPercentile(50)),
        ms(copy.getValueAtPercentile(99)),
        ms(copy.getValueAtPercentile(99.9)),
        ms(copy.getMaxValue()),
        copy.getMean() / 1000.0);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /** Percentiles in milliseconds; all 0 when nothing was recorded ({@code count} 0). */
  public record Summary(long count, double p50, double p99, double p999, double max, double mean) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("count", count)
          .put("p50_ms", Report.round(p50))
          .put("p99_ms", Report.round(p99))
          .put("p999_ms", Report.round(p999))
          .put("max_ms", Report.round(max))
          .put("mean_ms", Report.round(mean));
    }

    /**
     * e.g. {@code p50 1.23 ms, p99 4.56 ms, p99.9 7.89 ms, max 12.3 ms (n=1,000)}, or {@code n/a
     * (n=0)}.
     */
    public String text() {
      if (count == 0) {
        return "n/a (n=0)";
      }
      return String.format(
          "p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms (n=%,d)",
          fmt(p50), fmt(p99), fmt(p999), fmt(max), count);
    }

    static String fmt(double ms) {
      if (ms >= 100) {
        return String.format("%.0f", ms);
      }
      if (ms >= 10) {
        return String.format("%.1f", ms);
      }
      return String.format("%.2f", ms);
    }
  }
}
