/**
 * Reconnection delays: exponential, with full jitter (a delay drawn uniformly between 0 and the
 * window, the window doubling per failure from baseMs up to capMs), so that clients cut off together
 * do not come back together; never below a server's retry_after. As the Java client's
 * ReconnectBackoff.
 */
export class Backoff {
  constructor({ baseMs = 500, capMs = 30_000, random = Math.random } = {}) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.random = random;
  }

  /** The delay before attempt number failures + 1 (failures >= 1), at least retryAfterMs. */
  delayMs(failures, retryAfterMs = 0) {
    const window = Math.min(this.capMs, this.baseMs * 2 ** Math.min(failures - 1, 30));
    return Math.max(Math.floor(this.random() * (window + 1)), retryAfterMs ?? 0);
  }
}
