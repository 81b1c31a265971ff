package io.courier.push;

/**
 * A token bucket of {@code perSecond} tokens refilled per second, holding at most one second's
 * worth: what a provider lane may send. Not thread-safe: confined to the push role's context.
 */
final class RateLimit {
  private static final long SECOND_NANOS = 1_000_000_000L;

  private final long perSecond;
  private final double nanosPerToken;
  private double tokens;
  private long last;

  RateLimit(int perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.nanosPerToken = (double) SECOND_NANOS / perSecond;
    this.tokens = perSecond;
    this.last = nowNanos;
  }

  /** Takes a token; false when none is left now. */
  boolean take(long nowNanos) {
    refill(nowNanos);
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }

  /** Nanoseconds until a token is there (0 when one is). */
  long nanosUntilNext(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * nanosPerToken);
  }

  private void refill(long nowNanos) {
    if (nowNanos > last) {
      tokens = Math.min(perSecond, tokens + (nowNanos - last) / nanosPerToken);
      last = nowNanos;
    }
  }
}
