package io.courier.bridge;

import io.vertx.core.buffer.Buffer;

/**
 * Why the guard refuses a frame: the err frame's {@code message}, the rule that refused it (null
 * for a frame the bridge could not handle at all, such as malformed JSON) and the field at fault.
 *
 * @param error the err frame's {@code message}
 * @param rule the err frame's {@code rule}, or null
 * @param field the err frame's {@code field}, or null
 */
record Refusal(GuardError error, Rule rule, String field) {

  /** A refusal that no rule made: a frame the bridge could not handle, or a second register. */
  static Refusal error(GuardError error, String field) {
    return new Refusal(error, null, field);
  }

  /** {@code access_denied} by {@code rule}. */
  static Refusal denied(Rule rule) {
    return new Refusal(GuardError.ACCESS_DENIED, rule, null);
  }

  /** The err frame that answers the refused frame. */
  Buffer frame() {
    return Frames.err(error, rule, field);
  }
}
