package io.courier.protocol.body;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a message's way through the platform, with their wire names, declared in the order
 * they happen (which orders the steps of a trace stamped in the same millisecond). The step names
 * of a trace ({@code GET /v1/trace/{logid}}), the statuses of {@link Receipt receipts} and of
 * {@link S2cAnswer S2C answers}, and the outcomes counted per message all come from here.
 */
public enum Step {
  /** The platform took the message: durable for qos 1. An outcome. */
  ACCEPTED("accepted"),
  /** A C2S message was accepted by a business consumer. Traced only. */
  HANDED("handed"),
  /** Sent to the gate of the receiver's node. Traced only. */
  ROUTED("routed"),
  /** Written to the receiver's connection. An outcome, a receipt and an S2C status. */
  PUSHED("pushed"),
  /** A qos-1 PUSH written again after its ack timeout. Traced only. */
  RESENT("resent"),
  /** The receiver acknowledged the PUSH. An outcome and a receipt. */
  ACKED("acked"),
  /** Pushes unacknowledged after every resend; the message waits offline. An outcome. */
  EXPIRED("expired"),
  /** Waits in the offline store. An outcome, a receipt and an S2C status. */
  STORED("stored"),
  /**
   * Folded into a later wake-up notification of the same receiver (collapse window). Traced only.
   */
  COLLAPSED("collapsed"),
  /** A provider accepted a wake-up notification for the receiver's device. An outcome. */
  NOTIFIED("notified"),
  /**
   * A wake-up notification that no provider accepted: refused (a dead token also removes the
   * registration), or retries exhausted. Traced only.
   */
  NOTIFY_FAILED("notify_failed"),
  /** Returned by the receiver's PULL. An outcome and a receipt. */
  PULLED("pulled"),
  /** The receiver marked its conversation read up to the message. A receipt only. */
  READ("read"),
  /** Refused or not stored, with a code. Traced only. */
  FAILED("failed"),
  /** qos 0 and not pushed: gone. An S2C status only. */
  DROPPED("dropped");

  /**
   * The outcomes counted per message (metrics and arrival statistics), in the order reports list
   * them.
   */
  public static final List<Step> OUTCOMES =
      List.of(ACCEPTED, PUSHED, ACKED, STORED, PULLED, EXPIRED, NOTIFIED);

  /** The statuses a {@link Receipt} can carry. */
  public static final List<Step> RECEIPT_STATUSES = List.of(PUSHED, ACKED, STORED, PULLED, READ);

  /** The statuses an S2C answer can carry per receiver. */
  public static final List<Step> S2C_STATUSES = List.of(PUSHED, STORED, DROPPED);

  private static final Map<String, Step> BY_WIRE = new HashMap<>();

  static {
    for (Step step : values()) {
      Step previous = BY_WIRE.put(step.wire, step);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate step name " + step.wire + ": " + previous + ", " + step);
      }
    }
  }

  private final String wire;

  Step(String wire) {
    this.wire = wire;
  }

  /** The name on the wire. */
  public String wire() {
    return wire;
  }

  /** The step named {@code wire}, or null. */
  public static Step fromWire(String wire) {
    return BY_WIRE.get(wire);
  }
}
