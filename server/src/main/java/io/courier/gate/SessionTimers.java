package io.courier.gate;

import java.util.concurrent.TimeUnit;

/**
 * A connection's one timer. Before login it is the login deadline; after, the check of the
 * session's two ends: idleness (no frame for the idle timeout) and its token's expiry. It fires at
 * the nearer of the two and is re-armed lazily when it fires (for the time left since the last
 * frame, or to the expiry) rather than on every frame, so a busy connection costs no timer churn.
 * Confined to the connection's event loop.
 *
 * @implNote Idleness is measured on the monotonic clock; the expiry is an instant (the token's
 *     {@code exp}, set by whoever issued it), so it is compared with the wall clock each time the
 *     timer fires: a clock step makes it fire early or late by the step, and a timer that fires
 *     before the expiry is simply re-armed.
 */
final class SessionTimers {
  /** The expiry of a session whose token has none known. */
  static final long NEVER = Long.MAX_VALUE;

  private final GateLoop loop;
  private final long loginTimeoutMs;
  private final long idleTimeoutMs;
  private final Runnable loginDeadlinePassed;
  private final Runnable idle;
  private final Runnable expired;
  private long timer = -1;
  private long lastFrameNanos;
  private boolean checking;
  private long expiresAtMs = NEVER;

  /**
   * @param loginDeadlinePassed runs when no login succeeded within the login timeout of {@link
   *     #startLoginDeadline()}
   * @param idle runs when no frame arrived for the idle timeout after login
   * @param expired runs when the session's token expires ({@link #expiresAt(long)})
   */
  SessionTimers(
      GateLoop loop,
      ConnectionSettings settings,
      Runnable loginDeadlinePassed,
      Runnable idle,
      Runnable expired) {
    this.loop = loop;
    this.loginTimeoutMs = settings.loginTimeoutMs();
    this.idleTimeoutMs = settings.idleTimeoutMs();
    this.loginDeadlinePassed = loginDeadlinePassed;
    this.idle = idle;
    this.expired = expired;
    this.lastFrameNanos = loop.nanoTime();
  }

  /** The connection was accepted; frames before login do not extend the deadline. */
  void startLoginDeadline() {
    timer =
        loop.setTimer(
            loginTimeoutMs,
            id -> {
              timer = -1;
              loginDeadlinePassed.run();
            });
  }

  /** A complete frame arrived: the connection is not idle. */
  void frameArrived() {
    lastFrameNanos = loop.nanoTime();
  }

  /**
   * The login succeeded with a token that expires at {@code expiresAtMs} (ms since the epoch, or
   * {@link #NEVER}): the deadline is over and the check of idleness and expiry begins.
   */
  void startIdleCheck(long expiresAtMs) {
    this.expiresAtMs = expiresAtMs;
    // the session's idle time starts with it, as if its LOGIN had arrived now
    lastFrameNanos = loop.nanoTime();
    checking = true;
    armCheck();
  }

  /** A REFRESH replaced the session's token: it now expires at {@code expiresAtMs}. */
  void expiresAt(long expiresAtMs) {
    this.expiresAtMs = expiresAtMs;
    if (checking) {
      armCheck();
    }
  }

  void stop() {
    checking = false;
    cancel();
  }

  private void cancel() {
    if (timer != -1) {
      loop.cancelTimer(timer);
      timer = -1;
    }
  }

  private void armCheck() {
    cancel();
    long silentMs = TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - lastFrameNanos);
    long delayMs = Math.min(idleTimeoutMs - silentMs, untilExpiryMs());
    timer =
        loop.setTimer(
            Math.max(1, delayMs),
            id -> {
              timer = -1;
              if (untilExpiryMs() <= 0) {
                expired.run();
              } else if (TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - lastFrameNanos)
                  >= idleTimeoutMs) {
                idle.run();
              } else {
                armCheck();
              }
            });
  }

  private long untilExpiryMs() {
    return expiresAtMs == NEVER ? NEVER : expiresAtMs - loop.currentTimeMillis();
  }
}
