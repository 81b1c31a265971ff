package io.courier.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code message} of the {@code err} frames the guard itself sends, in the bridge's style
 * (snake_case codes, like its own {@code access_denied}, {@code unknown_address}, {@code
 * missing_address}). Except {@link #FRAME_TOO_LARGE} and {@link #IDLE_TIMEOUT}, the connection
 * stays usable after each of them.
 *
 * <p>Wire texts are checked for duplicates when the class loads.
 */
enum GuardError {
  /** The frame body is not a JSON object (malformed, empty, or another JSON value). */
  INVALID_JSON("invalid_json"),
  /** {@code type} is missing, not a string, or not one of {@link FrameType}. */
  UNKNOWN_TYPE("unknown_type"),
  /** A send, register or unregister without {@code address}. Same text as the bridge's own. */
  MISSING_ADDRESS("missing_address"),
  /** A field of the wrong JSON type; the err frame names it in {@code field}. */
  INVALID_FIELD("invalid_field"),
  /**
   * A string or name holds a UTF-16 surrogate without its other half; the err frame names where in
   * {@code field} (absent for a name at the top of the frame).
   */
  UNPAIRED_SURROGATE("unpaired_surrogate"),
  /**
   * Refused by a rule ({@link Rule}): credentials, the business API, a business's permissions. Same
   * text as the bridge's own refusal.
   */
  ACCESS_DENIED("access_denied"),
  /** A register for an address this connection has already registered. */
  ALREADY_REGISTERED("already_registered"),
  /** The announced frame length exceeds the maximum: sent just before the connection is closed. */
  FRAME_TOO_LARGE("frame_too_large"),
  /** A register beyond {@code bridge.maxRegistrations} addresses registered at once. */
  TOO_MANY_REGISTRATIONS("too_many_registrations"),
  /** No frame for {@code bridge.idleSeconds}: sent just before the connection is closed. */
  IDLE_TIMEOUT("idle_timeout");

  private static final Map<String, GuardError> BY_WIRE = new HashMap<>();

  static {
    for (GuardError error : values()) {
      GuardError previous = BY_WIRE.put(error.wire, error);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate err message " + error.wire + ": " + previous + ", " + error);
      }
    }
  }

  private final String wire;

  GuardError(String wire) {
    this.wire = wire;
  }

  /** The err frame's {@code message}. */
  String wire() {
    return wire;
  }
}
