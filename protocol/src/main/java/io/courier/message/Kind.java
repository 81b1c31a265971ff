package io.courier.message;

/**
 * Where a message came from: a business server ({@code s2c}), another client ({@code c2c}) or a
 * member of a group ({@code c2g}); or a read receipt ({@code read}): a conversation's peer read it
 * up to the msgid in its content (docs/conversations.md).
 */
public enum Kind {
  S2C("s2c"),
  C2C("c2c"),
  /** A member's message to a group (docs/groups.md); the PUSH body names it in {@code group_id}. */
  C2G("c2g"),
  READ("read");

  private final String wire;

  Kind(String wire) {
    this.wire = wire;
  }

  /** The value of the {@code kind} field of a PUSH body. */
  public String wire() {
    return wire;
  }

  public static Kind fromWire(String wire) {
    for (Kind kind : values()) {
      if (kind.wire.equals(wire)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind " + wire);
  }
}
