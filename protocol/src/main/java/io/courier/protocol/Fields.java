package io.courier.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Typed reads of the common body fields (protocol v1, docs/protocol.md sections 6.2 and 6.3). A
 * missing or mistyped required field throws {@link MalformedBodyException} naming the field, which
 * the gate answers with code 400.
 */
public final class Fields {
  private static final int MAX_UID_LENGTH = 64;
  public static final int MAX_APPCODE = 65535;

  private Fields() {}

  /** A user id: 1–64 chars of {@code [A-Za-z0-9_.:@-]}. */
  public static String uid(JsonObject body, String field) throws MalformedBodyException {
    return uid(field, body.getValue(field));
  }

  /** {@code value}, read from {@code field}, as a user id ({@link #uid(JsonObject, String)}). */
  public static String uid(String field, Object value) throws MalformedBodyException {
    String uid = string(field, value);
    if (!isUid(uid)) {
      throw new MalformedBodyException(field + " must be 1-64 chars of [A-Za-z0-9_.:@-]");
    }
    return uid;
  }

  /**
   * Whether {@code value} is 1–64 chars of {@code [A-Za-z0-9_.:@-]}.
   *
   * @implNote A loop over the chars rather than a regular expression: every request names one or
   *     more uids, and the matcher the expression made per call was 2 % of a node's time under a
   *     push load (docs/benchmarks.md 20.3).
   */
  public static boolean isUid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_UID_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '@'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** An appcode: an integer 1–65535. */
  public static int appcode(JsonObject body, String field) throws MalformedBodyException {
    long value = integer(body, field);
    if (value < 1 || value > MAX_APPCODE) {
      throw new MalformedBodyException(field + " must be an integer 1-" + MAX_APPCODE);
    }
    return (int) value;
  }

  /** A required string. */
  public static String string(JsonObject body, String field) throws MalformedBodyException {
    return string(field, body.getValue(field));
  }

  /** {@code value}, read from {@code field}, as a required string. */
  public static String string(String field, Object value) throws MalformedBodyException {
    if (!(value instanceof String)) {
      throw new MalformedBodyException(
          field + (value == null ? " is required" : " must be a string"));
    }
    return (String) value;
  }

  /** A required integral number (a JSON number without fraction or exponent). */
  public static long integer(JsonObject body, String field) throws MalformedBodyException {
    return integer(field, body.getValue(field));
  }

  /** {@code value}, read from {@code field}, as a required integral number. */
  public static long integer(String field, Object value) throws MalformedBodyException {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw new MalformedBodyException(
        field + (value == null ? " is required" : " must be an integer"));
  }
}
