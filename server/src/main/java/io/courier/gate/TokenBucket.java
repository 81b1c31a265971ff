package io.courier.gate;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; each admitted event
 * takes one. Not thread-safe: its owner guards it.
 */
final class TokenBucket {
  private final double perMs;
  private final double burst;
  private double tokens;
  private long lastMs;

  /** A full bucket at {@code nowMs}. */
  TokenBucket(int perSecond, int burst, long nowMs) {
    this.perMs = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes a token if there is one at {@code nowMs}; false when the rate is exceeded. */
  boolean take(long nowMs) {
    if (nowMs > lastMs) {
      tokens = Math.min(burst, tokens + (nowMs - lastMs) * perMs);
      lastMs = nowMs;
    }
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
