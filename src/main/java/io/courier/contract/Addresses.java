package io.courier.contract;

/**
 * Every event-bus address Courier uses, defined once. The business API ({@code courier.s2c},
 * {@code courier.c2s.*}, {@code courier.presence}, {@code courier.receipts}) is documented in
 * {@code docs/event-bus.md}; the others are internal between Courier's own verticles.
 */
public final class Addresses {
  /** Internal, request: a gate asks the login role to check a token and record presence. See {@link LoginRequest}. */
  public static final String LOGIN = "courier.internal.login";
  /** Internal, send: a gate reports that a logged-in session ended; presence is removed if still its own. */
  public static final String LOGOUT = "courier.internal.logout";
  /** Internal prefix of the per-node gate address; see {@link #gate(String)}. */
  private static final String GATE_PREFIX = "courier.internal.gate.";

  private Addresses() {
  }

  /** The address where the gate of node {@code node} takes commands for its sessions (kick, push). */
  public static String gate(String node) {
    return GATE_PREFIX + node;
  }
}
