package io.courier.ops;

/**
 * What became of a wake-up notification ({@code courier_push_notifications_total{result}}, the
 * arrival report's {@code notifications}; docs/push.md).
 */
public enum NotifyResult {
  /** A provider accepted it. */
  SENT("sent"),
  /** The provider reported the token dead; the registration was removed. */
  REJECTED("rejected"),
  /** Refused for another reason, retries exhausted, or no provider configured for the device. */
  FAILED("failed"),
  /** Folded into a later notification of the same receiver. */
  COLLAPSED("collapsed"),
  /** Dropped because the node's notification queue was full. */
  OVERFLOW("overflow"),
  /** The receiver has no registered device. */
  NO_DEVICE("no_device");

  private final String wire;

  NotifyResult(String wire) {
    this.wire = wire;
  }

  /** The name in metrics, the arrival report and traces. */
  public String wire() {
    return wire;
  }
}
