package io.courier.protocol;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Typed reads of the common body fields (protocol v1, docs/protocol.md sections 6.2 and 6.3). A
 * missing or mistyped required field throws {@link MalformedBodyException} naming the field, which
 * the gate answers with code 400.
 */
public final class Fields {
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
  public static final int MAX_APPCODE = 65535;

  private Fields() {}

  /** A user id: 1–64 chars of {@code [A-Za-z0-9_.:@-]}. */
  public static String uid(JsonObject body, String field) throws MalformedBodyException {
    String value = string(body, field);
    if (!isUid(value)) {
      throw new MalformedBodyException(field + " must be 1-64 chars of [A-Za-z0-9_.:@-]");
    }
    return value;
  }

  public static boolean isUid(String value) {
    return value != null && UID.matcher(value).matches();
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
    Object value = body.getValue(field);
    if (!(value instanceof String)) {
      throw new MalformedBodyException(
          field + (value == null ? " is required" : " must be a string"));
    }
    return (String) value;
  }

  /** A required integral number (a JSON number without fraction or exponent). */
  public static long integer(JsonObject body, String field) throws MalformedBodyException {
    Object value = body.getValue(field);
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
