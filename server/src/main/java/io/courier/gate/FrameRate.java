package io.courier.gate;

/**
 * The frame budget of one connection: a token bucket of {@code burst} frames refilled at {@code
 * perSecond}. A frame within it is accepted; beyond it, refused (the client gets 429). Refused
 * frames have a bucket of the same size of their own: a connection that empties that one too keeps
 * sending far faster than it is allowed after being told so, and is to be kicked. Confined to the
 * connection's event loop.
 *
 * <p>An ack of a PUSH is free while the client has been sent more PUSHes than it acked (up to
 * {@value #MAX_ACK_CREDIT} ahead): acks answer the server's own traffic, which the client does not
 * choose, and a client acks every PUSH, qos 0 included.
 *
 * @implNote Each bucket is kept as a theoretical arrival time (the generic cell rate algorithm):
 *     one {@code long}, advanced by the interval between two frames at the sustained rate, and a
 *     frame fits while that time is at most a burst less one of intervals ahead of now. A frame
 *     costs a comparison and an addition, with no refill computation and no floating point; the
 *     alternative, a token count refilled from the elapsed time, needs a division per frame.
 */
final class FrameRate {

  /** Acks a client may owe for PUSHes it received, free of the frame budget. */
  static final int MAX_ACK_CREDIT = 1024;

  /** What to do with a frame. */
  enum Verdict {
    ACCEPT,
    REFUSE,
    KICK
  }

  private final long intervalNanos;
  private final long toleranceNanos;
  private long acceptedUntil;
  private long refusedUntil;
  private int ackCredit;

  /**
   * @param nowNanos the connection's clock now, as {@link GateLoop#nanoTime()}
   */
  FrameRate(int perSecond, int burst, long nowNanos) {
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.toleranceNanos = intervalNanos * (burst - 1);
    this.acceptedUntil = nowNanos;
    this.refusedUntil = nowNanos;
  }

  /** A frame arrived at {@code nowNanos}. */
  Verdict frame(long nowNanos) {
    // differences, not Math.max of the times: the clock may wrap around
    long acceptedAhead = Math.max(0, acceptedUntil - nowNanos);
    if (acceptedAhead <= toleranceNanos) {
      acceptedUntil = nowNanos + acceptedAhead + intervalNanos;
      return Verdict.ACCEPT;
    }
    long refusedAhead = Math.max(0, refusedUntil - nowNanos);
    if (refusedAhead <= toleranceNanos) {
      refusedUntil = nowNanos + refusedAhead + intervalNanos;
      return Verdict.REFUSE;
    }
    return Verdict.KICK;
  }

  /** A PUSH ack arrived at {@code nowNanos}. */
  Verdict ack(long nowNanos) {
    if (ackCredit > 0) {
      ackCredit--;
      return Verdict.ACCEPT;
    }
    return frame(nowNanos);
  }

  /** A PUSH was written to the client, which will ack it. */
  void pushed() {
    if (ackCredit < MAX_ACK_CREDIT) {
      ackCredit++;
    }
  }
}
