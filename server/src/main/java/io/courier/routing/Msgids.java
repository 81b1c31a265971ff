package io.courier.routing;

import io.vertx.core.json.JsonObject;

/**
 * Reads msgid fields of client bodies: decimal strings of unsigned 64-bit integers. Courier's own
 * msgids are below 2^63, so a larger value compares above all of them and is read as {@link
 * Long#MAX_VALUE}.
 */
final class Msgids {
  private static final int MAX_DIGITS = 20;

  private Msgids() {}

  static long required(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw MessageFields.badRequest(field + " is required");
    }
    return parse(field, value);
  }

  static long optional(JsonObject body, String field, long absent) {
    Object value = body.getValue(field);
    return value == null ? absent : parse(field, value);
  }

  private static long parse(String field, Object value) {
    if (!(value instanceof String)
        || ((String) value).isEmpty()
        || ((String) value).length() > MAX_DIGITS
        || !((String) value).chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw MessageFields.badRequest(field + " must be a msgid: a decimal string");
    }
    try {
      long parsed = Long.parseUnsignedLong((String) value);
      return parsed < 0 ? Long.MAX_VALUE : parsed;
    } catch (NumberFormatException e) {
      throw MessageFields.badRequest(field + " must be a msgid below 2^64");
    }
  }
}
