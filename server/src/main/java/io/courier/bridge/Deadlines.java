package io.courier.bridge;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The push requests the guard has handed to this node's routing and not yet answered, in the order
 * they were issued, each with the deadline of the event bus's default request timeout: the first
 * that passes its deadline is failed as the event bus fails it. Used on the bridge's event loop
 * only.
 *
 * @implNote One timer for all of them, armed for the oldest request's deadline and re-armed when it
 *     fires, instead of the event bus's timer per request (scheduled and cancelled for every push):
 *     every request waits the same time, so the oldest always expires first, and an answered
 *     request leaves the list in constant time. Rejected: a periodic sweep, which would answer a
 *     timeout up to a period late.
 */
final class Deadlines {
  /** A request waiting for its answer. */
  static final class Pending {
    private final Runnable expired;
    private final long deadline;
    private Pending previous;
    private Pending next;
    private boolean waiting = true;

    private Pending(Runnable expired, long deadline) {
      this.expired = expired;
      this.deadline = deadline;
    }
  }

  private final Vertx vertx;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private Pending first;
  private Pending last;
  private long timer = -1;

  /**
   * @param timeoutMillis how long each request waits for its answer
   */
  Deadlines(Vertx vertx, long timeoutMillis, LongSupplier nanoTime) {
    this.vertx = vertx;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.nanoTime = nanoTime;
  }

  /** Starts waiting; {@code expired} runs if no {@link #answered} comes before the deadline. */
  Pending start(Runnable expired) {
    Pending pending = new Pending(expired, nanoTime.getAsLong() + timeoutNanos);
    if (last == null) {
      first = pending;
    } else {
      last.next = pending;
      pending.previous = last;
    }
    last = pending;
    if (timer < 0) {
      arm(pending.deadline);
    }
    return pending;
  }

  /** Stops waiting for {@code pending}: true if it was still waiting, false if it had expired. */
  boolean answered(Pending pending) {
    if (!pending.waiting) {
      return false;
    }
    pending.waiting = false;
    if (pending.previous == null) {
      first = pending.next;
    } else {
      pending.previous.next = pending.next;
    }
    if (pending.next == null) {
      last = pending.previous;
    } else {
      pending.next.previous = pending.previous;
    }
    pending.previous = null;
    pending.next = null;
    return true;
  }

  private void arm(long deadline) {
    long delay = TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong() + 999_999);
    timer = vertx.setTimer(Math.max(1, delay), id -> expire());
  }

  private void expire() {
    timer = -1;
    long now = nanoTime.getAsLong();
    while (first != null && first.deadline - now <= 0) {
      Pending expired = first;
      answered(expired);
      expired.expired.run();
    }
    if (first != null) {
      arm(first.deadline);
    }
  }
}
