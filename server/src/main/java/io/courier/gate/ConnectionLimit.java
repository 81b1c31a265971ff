package io.courier.gate;

/**
 * The limits that bound what one client connection may cost the gate, each with the tag its
 * refusals and closes carry in the gate's meters ({@link GateMetrics}); {@code docs/security.md}
 * has a section on each.
 */
enum ConnectionLimit {
  /** Requests at the logic roles awaiting their answer: 429 beyond it. */
  INFLIGHT("inflight", true, false),
  /** C2C requests waiting in the connection's ordered queue: 429 beyond it. */
  C2C_QUEUE("c2c_queue", true, false),
  /** C2C messages per second of one sender: 429 beyond it. */
  C2C_RATE("c2c_rate", true, false),
  /** Frames per second: 429 beyond it, KICK 4005 for a connection that keeps on. */
  FRAME_RATE("frame_rate", true, true),
  /** Bytes queued for the client: closed beyond it. */
  PENDING_BYTES("pending_bytes", false, true),
  /** Time the write queue may stay full: closed after it. */
  WRITE_STALL("write_stall", false, true);

  private final String tag;
  private final boolean refuses;
  private final boolean closes;

  ConnectionLimit(String tag, boolean refuses, boolean closes) {
    this.tag = tag;
    this.refuses = refuses;
    this.closes = closes;
  }

  /** The value of the {@code limit} tag. */
  String tag() {
    return tag;
  }

  /** Whether a frame beyond it is answered 429. */
  boolean refuses() {
    return refuses;
  }

  /** Whether it closes connections. */
  boolean closes() {
    return closes;
  }
}
