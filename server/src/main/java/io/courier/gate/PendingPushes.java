package io.courier.gate;

import io.courier.message.Message;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The qos-1 PUSHes of one connection that wait for the client's 0x8020, each with its resend timer.
 * Confined to the connection's event loop.
 *
 * <p>A PUSH unanswered after the ack timeout is resent (same frame, same seq) up to the retry
 * limit, then given up: the message never left the offline store, so the client's next PULL returns
 * it. Bounded by {@code capacity}: a connection that does not ack gets no more pushes, and its
 * messages wait offline.
 */
final class PendingPushes {

  /** What the connection does when a timer fires. */
  interface Owner {
    /**
     * Writes {@code frame} of {@code message} again; false when the connection cannot take it now.
     */
    boolean resend(Buffer frame, Message message);

    /** Called when a message stays unacknowledged after every retry. */
    void givenUp(Message message);
  }

  private final Vertx vertx;
  private final long ackTimeoutMs;
  private final int retries;
  private final int capacity;
  private final Owner owner;
  private final Map<String, Pending> byMsgid = new HashMap<>();

  PendingPushes(Vertx vertx, long ackTimeoutMs, int retries, int capacity, Owner owner) {
    this.vertx = vertx;
    this.ackTimeoutMs = ackTimeoutMs;
    this.retries = retries;
    this.capacity = capacity;
    this.owner = owner;
  }

  boolean hasRoom() {
    return byMsgid.size() < capacity;
  }

  void track(String msgid, Buffer frame, Message message) {
    Pending pending = new Pending(frame, message, retries);
    Pending previous = byMsgid.put(msgid, pending);
    if (previous != null) {
      vertx.cancelTimer(previous.timer);
    }
    arm(msgid, pending);
  }

  /** A push the client acknowledged, and when it was first written ({@link System#nanoTime()}). */
  record Acknowledged(Message message, long pushedNanos) {}

  /**
   * The push the client acknowledged, or null when {@code msgid} is not waiting (a duplicate ack).
   */
  Acknowledged acknowledge(String msgid) {
    Pending pending = byMsgid.remove(msgid);
    if (pending == null) {
      return null;
    }
    vertx.cancelTimer(pending.timer);
    return new Acknowledged(pending.message, pending.pushedNanos);
  }

  /** Stops every timer: the connection closed, and its unacknowledged messages wait offline. */
  void clear() {
    byMsgid.values().forEach(pending -> vertx.cancelTimer(pending.timer));
    byMsgid.clear();
  }

  private void arm(String msgid, Pending pending) {
    pending.timer =
        vertx.setTimer(
            ackTimeoutMs,
            id -> {
              if (byMsgid.get(msgid) != pending) {
                return;
              }
              if (pending.retriesLeft > 0 && owner.resend(pending.frame, pending.message)) {
                pending.retriesLeft--;
                arm(msgid, pending);
              } else {
                byMsgid.remove(msgid);
                owner.givenUp(pending.message);
              }
            });
  }

  private static final class Pending {
    final Buffer frame;
    final Message message;
    final long pushedNanos = System.nanoTime();
    int retriesLeft;
    long timer;

    Pending(Buffer frame, Message message, int retriesLeft) {
      this.frame = frame;
      this.message = message;
      this.retriesLeft = retriesLeft;
    }
  }
}
