package io.courier.gate;

import io.courier.protocol.Code;
import io.courier.protocol.body.LoginRefusal;
import io.courier.protocol.body.Result;
import java.util.random.RandomGenerator;

/**
 * The answer to a LOGIN that did not succeed. A 503 (login role or presence store unavailable)
 * carries {@code retry_after}: a wait drawn uniformly from {@link #MIN_MS} to {@link #MIN_MS} +
 * {@link #SPREAD_MS}, so that the clients an outage refused come back spread over four seconds
 * instead of together at the moment it ends.
 *
 * @implNote The hint is drawn at the gate, not by the login role: a 503 for a missing login role is
 *     made by the event bus, which has no body to carry it. A fixed value was rejected, since every
 *     client honouring it would retry in step.
 */
final class LoginRetryHint {
  /** Shortest {@code retry_after}: 1,000 ms, long enough for a blip of the backend to pass. */
  static final long MIN_MS = 1_000;

  /** Width of the jitter added to {@link #MIN_MS}: 4,000 ms. */
  static final long SPREAD_MS = 4_000;

  private LoginRetryHint() {}

  /** The LOGIN response for {@code code} (not 0), with a {@code retry_after} when it is 503. */
  static LoginRefusal refusal(Code code, String msg, RandomGenerator random) {
    Long retryAfter = code == Code.UNAVAILABLE ? MIN_MS + random.nextLong(SPREAD_MS) : null;
    return new LoginRefusal(Result.error(code, msg), retryAfter);
  }
}
