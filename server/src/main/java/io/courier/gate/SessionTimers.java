package io.courier.gate;

import java.util.concurrent.TimeUnit;

/**
 * A connection's one timer. Before login it is the login deadline; after, the idle check, which is
 * re-armed lazily when it fires (for the time left since the last frame) rather than on every
 * frame, so a busy connection costs no timer churn. Confined to the connection's event loop.
 */
final class SessionTimers {
  private final GateLoop loop;
  private final long loginTimeoutMs;
  private final long idleTimeoutMs;
  private final Runnable loginDeadlinePassed;
  private final Runnable idle;
  private long timer = -1;
  private long lastFrameNanos;

  /**
   * @param loginDeadlinePassed runs when no login succeeded within the login timeout of {@link
   *     #startLoginDeadline()}
   * @param idle runs when no frame arrived for the idle timeout after login
   */
  SessionTimers(
      GateLoop loop, ConnectionSettings settings, Runnable loginDeadlinePassed, Runnable idle) {
    this.loop = loop;
    this.loginTimeoutMs = settings.loginTimeoutMs();
    this.idleTimeoutMs = settings.idleTimeoutMs();
    this.loginDeadlinePassed = loginDeadlinePassed;
    this.idle = idle;
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

  /** The login succeeded: the deadline is over and the idle check begins. */
  void startIdleCheck() {
    armIdleCheck(idleTimeoutMs);
  }

  void stop() {
    if (timer != -1) {
      loop.cancelTimer(timer);
      timer = -1;
    }
  }

  private void armIdleCheck(long delayMs) {
    stop();
    timer =
        loop.setTimer(
            Math.max(1, delayMs),
            id -> {
              timer = -1;
              long silentMs = TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - lastFrameNanos);
              if (silentMs >= idleTimeoutMs) {
                idle.run();
              } else {
                armIdleCheck(idleTimeoutMs - silentMs);
              }
            });
  }
}
