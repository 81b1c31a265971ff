package io.courier.push;

import java.util.function.DoubleSupplier;

/**
 * The wait before a notification is sent again: {@code base} before the first resend, twice as long
 * before each next one, at most {@value #MAX_MS} ms, each spread by ±20 % so that notifications
 * refused together are not all sent again at one instant; longer when the provider's {@code
 * Retry-After} asks for longer (up to the same maximum).
 */
final class Backoff {
  static final long MAX_MS = 300_000;

  private final long baseMs;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1)
   */
  Backoff(long baseMs, DoubleSupplier random) {
    this.baseMs = baseMs;
    this.random = random;
  }

  /** The wait before resend {@code resend} (1 for the first), at least {@code retryAfterMs}. */
  long delayMs(int resend, long retryAfterMs) {
    long exponential = baseMs << Math.min(resend - 1, 30);
    long capped = exponential <= 0 || exponential > MAX_MS ? MAX_MS : exponential;
    long spread = (long) (capped * (0.8 + 0.4 * random.getAsDouble()));
    return Math.min(MAX_MS, Math.max(spread, retryAfterMs));
  }
}
