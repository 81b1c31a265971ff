package io.courier.testkit.fakes;

import java.util.function.LongSupplier;

/**
 * A clock that stands still until a test moves it: the {@code LongSupplier} of milliseconds since
 * the epoch that flows, msgid generators and trackers take.
 */
public final class FixedClock implements LongSupplier {
  /** 2026-06-01T00:00:00Z: after the msgid epoch, so msgids made on this clock are positive. */
  public static final long DEFAULT_NOW = 1_780_272_000_000L;

  private long now;

  public FixedClock() {
    this(DEFAULT_NOW);
  }

  public FixedClock(long now) {
    this.now = now;
  }

  @Override
  public synchronized long getAsLong() {
    return now;
  }

  public synchronized void advance(long millis) {
    now += millis;
  }
}
