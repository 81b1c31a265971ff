package io.courier.protocol;

import java.util.HashMap;
import java.util.Map;

/** Result and error codes of protocol v1 (docs/protocol.md section 7), with their wire values. */
public enum Code {
  OK(0, "ok"),
  BAD_REQUEST(400, "bad request"),
  AUTH_FAILED(401, "authentication failed"),
  FORBIDDEN(403, "not allowed"),
  /** A group (docs/groups.md) that does not exist, or that the session's user is not in. */
  NOT_FOUND(404, "not found"),
  CONFLICT(409, "already logged in"),
  /** A closed group refuses sends (docs/groups.md). */
  GONE(410, "group closed"),
  TOO_LARGE(413, "too large"),
  UNSUPPORTED_VERSION(426, "unsupported protocol version"),
  RATE_LIMITED(429, "rate limit exceeded"),
  NOT_LOGGED_IN(440, "not logged in"),
  UNKNOWN_CMD(460, "unknown cmd"),
  INTERNAL(500, "internal error"),
  UNAVAILABLE(503, "service unavailable, retry later"),
  TIMEOUT(504, "timed out, retry later"),
  KICK_REPLACED(4001, "replaced"),
  KICK_SHUTDOWN(4002, "server shutting down"),
  KICK_IDLE(4003, "idle timeout"),
  KICK_TOKEN_EXPIRED(4004, "token expired or revoked"),
  KICK_FRAME_RATE(4005, "too many frames"),
  KICK_OPERATOR(4006, "kicked by operator");

  private static final Map<Integer, Code> BY_VALUE = new HashMap<>();

  static {
    for (Code code : values()) {
      Code previous = BY_VALUE.put(code.value, code);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate code " + code.value + ": " + previous + ", " + code);
      }
    }
  }

  private final int value;
  private final String reason;

  Code(int value, String reason) {
    this.value = value;
    this.reason = reason;
  }

  public int value() {
    return value;
  }

  /** Default human-readable reason, used as {@code msg} when nothing more specific is known. */
  public String reason() {
    return reason;
  }

  /**
   * The code with wire value {@code value}, or {@link #INTERNAL} for a value this version does not
   * know.
   */
  public static Code fromValue(int value) {
    return BY_VALUE.getOrDefault(value, INTERNAL);
  }
}
