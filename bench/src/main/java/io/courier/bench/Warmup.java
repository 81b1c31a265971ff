package io.courier.bench;

/**
 * The measurement window of a run: load starts with a warm-up that is not measured (JIT compilation
 * of the node and the bench, pools and buffers growing), then rates and latencies count only what
 * happens after {@link #begin()}. Lost and duplicated messages are still counted over the whole
 * run: a message sent during the warm-up must arrive too.
 */
final class Warmup {
  private volatile long startNanos = Long.MAX_VALUE;

  /** Opens the measurement window now. */
  void begin() {
    startNanos = System.nanoTime();
  }

  /** True once the window is open. */
  boolean measuring() {
    return startNanos != Long.MAX_VALUE;
  }

  /** When the window opened ({@link System#nanoTime()}). */
  long startNanos() {
    return startNanos;
  }
}
