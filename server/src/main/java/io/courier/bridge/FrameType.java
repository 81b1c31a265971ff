package io.courier.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * The frame types a business may send on the bridge, with their wire names. Anything else is
 * answered by the guard with {@link GuardError#UNKNOWN_TYPE}: Vert.x 5.0.7's bridge would throw on
 * the event loop for it (its {@code parseType} has no default) and wedge the connection.
 *
 * <p>Names are checked for duplicates when the class loads.
 */
enum FrameType {
  SEND("send"),
  PUBLISH("publish"),
  REGISTER("register"),
  UNREGISTER("unregister"),
  PING("ping");

  private static final Map<String, FrameType> BY_WIRE = new HashMap<>();

  static {
    for (FrameType type : values()) {
      FrameType previous = BY_WIRE.put(type.wire, type);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate frame type " + type.wire + ": " + previous + ", " + type);
      }
    }
  }

  private final String wire;

  FrameType(String wire) {
    this.wire = wire;
  }

  /** The value of the frame's {@code type} field. */
  String wire() {
    return wire;
  }

  /** The type named {@code wire}, or null for an unknown one. */
  static FrameType fromWire(String wire) {
    return BY_WIRE.get(wire);
  }
}
