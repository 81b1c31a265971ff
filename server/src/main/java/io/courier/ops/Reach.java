package io.courier.ops;

/**
 * How a qos-1 message reached its receiver, for the reach statistics ({@code courier_reach_total},
 * the arrival report's {@code reach}; docs/operations.md). Each message is counted {@link #DUE}
 * once when accepted and under one path when it reaches the receiver, so {@code due} minus the
 * paths is what has not reached anyone (yet).
 */
public enum Reach {
  /** Accepted with qos 1: the count the paths are compared with. */
  DUE("due"),
  /** Acknowledged on a connection, no wake-up notification asked for it. */
  LIVE("live"),
  /**
   * Acknowledged on a connection after the gate asked for a wake-up notification (the ack timeout
   * passed): the notification woke the app, or the ack was merely late.
   */
  LIVE_AFTER_NOTIFICATION("live_after_notification"),
  /** Returned by a PULL after a provider accepted a notification for the receiver. */
  PULLED_AFTER_NOTIFICATION("pulled_after_notification"),
  /** Returned by a PULL with no notification accepted for the receiver since it was accepted. */
  PULLED_WITHOUT_NOTIFICATION("pulled_without_notification");

  private final String wire;

  Reach(String wire) {
    this.wire = wire;
  }

  /** The name in metrics and the arrival report. */
  public String wire() {
    return wire;
  }
}
