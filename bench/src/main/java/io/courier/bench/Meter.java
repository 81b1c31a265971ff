package io.courier.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts events of one kind (a delivery, an ack) from any thread, with the time of the last one, so
 * that a rate is count / (last event - start of the measurement): sending stops at a deadline, but
 * the answers in flight still count, over the time they actually took.
 */
final class Meter {
  private final LongAdder count = new LongAdder();
  private volatile long lastNanos;

  void mark() {
    count.increment();
    lastNanos = System.nanoTime();
  }

  long count() {
    return count.sum();
  }

  /** Seconds from {@code startNanos} to the last event; 0 without events. */
  double secondsSince(long startNanos) {
    return count.sum() == 0 ? 0 : Math.max(0, lastNanos - startNanos) / 1e9;
  }

  double perSecondSince(long startNanos) {
    double seconds = secondsSince(startNanos);
    return seconds > 0 ? count.sum() / seconds : 0;
  }
}
