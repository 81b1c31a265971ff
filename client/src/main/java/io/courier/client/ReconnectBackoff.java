package io.courier.client;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * How long a client waits before it tries again to reach a gate: exponential backoff with full
 * jitter, capped, and never sooner than the server's {@code retry_after}.
 *
 * <p>After {@code n} failures in a row the wait is drawn uniformly from 0 to {@code min(cap, base ×
 * 2^(n-1))}. Full jitter, rather than a fixed or an equal-jitter wait, is what spreads the clients
 * of a gate that died: they all lose their connection at the same moment, and any deterministic
 * part of the wait would bring them back in step. A LOGIN refused with 503 may carry {@code
 * retry_after} (protocol.md 9.1): the wait is then at least that hint, itself capped.
 */
public final class ReconnectBackoff {
  /** Default base: 500 ms, the longest first wait. */
  public static final Duration DEFAULT_BASE = Duration.ofMillis(500);

  /** Default cap: 30 s, the longest wait, also for a server's hint. */
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(30);

  private final long baseMs;
  private final long capMs;
  private final RandomGenerator random;

  /** The defaults, with a random source of its own. */
  public ReconnectBackoff() {
    this(DEFAULT_BASE, DEFAULT_CAP, new Random());
  }

  /**
   * @param base the longest wait after the first failure (positive)
   * @param cap the longest wait of all (at least {@code base})
   * @param random the source of the jitter; a fixed seed makes the waits repeatable
   */
  public ReconnectBackoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.toMillis() < 1 || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "need 1 ms <= base <= cap, got base " + base + ", cap " + cap);
    }
    this.baseMs = base.toMillis();
    this.capMs = cap.toMillis();
    this.random = random;
  }

  /**
   * The wait in ms before the next attempt.
   *
   * @param failures failed attempts in a row, counting the one just ended (at least 1)
   * @param retryAfterMs the server's {@code retry_after}, or null when it gave none
   */
  public long delayMs(int failures, Long retryAfterMs) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, got " + failures);
    }
    long window = window(failures);
    long delay = random.nextLong(window + 1);
    if (retryAfterMs != null) {
      delay = Math.max(delay, Math.min(retryAfterMs, capMs));
    }
    return delay;
  }

  /** {@code min(cap, base × 2^(failures-1))}, without overflow. */
  private long window(int failures) {
    int doublings = failures - 1;
    if (doublings >= Long.numberOfLeadingZeros(baseMs) - 1) {
      return capMs;
    }
    return Math.min(capMs, baseMs << doublings);
  }
}
