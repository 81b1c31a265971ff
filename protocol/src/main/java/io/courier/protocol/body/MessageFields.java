package io.courier.protocol.body;

import io.courier.protocol.Code;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads and checks the message fields of C2C, C2S and S2C bodies (protocol.md 4 and 6). A refusal
 * names the field and carries its code: 400, or 403 and 413 for the values {@link MessageLimits}
 * refuse.
 */
public final class MessageFields {
  public static final int MAX_MSGTYPE = 65535;
  public static final int MAX_CMID_LENGTH = 64;
  private static final int MAX_MSGID_DIGITS = 20;

  private MessageFields() {}

  public static int msgtype(JsonObject body) throws MalformedBodyException {
    long msgtype = Fields.integer(body, "msgtype");
    if (msgtype < 0 || msgtype > MAX_MSGTYPE) {
      throw new MalformedBodyException("msgtype must be an integer 0-" + MAX_MSGTYPE);
    }
    return (int) msgtype;
  }

  /** The content; 413 when its UTF-8 form exceeds the limit. */
  public static String content(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    String content = Fields.string(body, "content");
    int maxBytes = limits.maxContentBytes();
    // a char is at most 3 UTF-8 bytes: shorter content cannot exceed the limit, and is not encoded
    if (content.length() > maxBytes / 3
        && content.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new MalformedBodyException(Code.TOO_LARGE, "content exceeds " + maxBytes + " bytes");
    }
    return content;
  }

  public static String uid(JsonObject body, String field) throws MalformedBodyException {
    return Fields.uid(body, field);
  }

  /** A receiver's appcode: 1–65535 (400) and a configured app (403). */
  public static int toAppcode(JsonObject body, MessageLimits limits) throws MalformedBodyException {
    return configuredAppcode(body, "to_appcode", limits);
  }

  /** The appcode in {@code field}: 403 when it is no configured app. */
  public static int configuredAppcode(JsonObject body, String field, MessageLimits limits)
      throws MalformedBodyException {
    int appcode = Fields.appcode(body, field);
    if (!limits.configuredAppcodes().test(appcode)) {
      throw new MalformedBodyException(
          Code.FORBIDDEN, field + " " + appcode + " is not a configured app");
    }
    return appcode;
  }

  public static String cmid(JsonObject body) throws MalformedBodyException {
    String cmid = Fields.string(body, "cmid");
    if (cmid.isEmpty() || cmid.length() > MAX_CMID_LENGTH) {
      throw new MalformedBodyException("cmid must be 1-" + MAX_CMID_LENGTH + " chars");
    }
    return cmid;
  }

  /** qos 1 (the default) or 0. */
  public static int qos(JsonObject body) throws MalformedBodyException {
    Object value = body.getValue("qos");
    if (value == null) {
      return 1;
    }
    long qos = Fields.integer("qos", value);
    if (qos != 0 && qos != 1) {
      throw new MalformedBodyException("qos must be 0 or 1");
    }
    return (int) qos;
  }

  /**
   * A required msgid: a decimal string of an unsigned 64-bit integer. Courier's own msgids are
   * below 2^63, so a larger value compares above all of them and is read as {@link Long#MAX_VALUE}.
   */
  public static long msgid(JsonObject body, String field) throws MalformedBodyException {
    Object value = body.getValue(field);
    if (value == null) {
      throw new MalformedBodyException(field + " is required");
    }
    return parseMsgid(field, value);
  }

  /** An optional msgid, {@code absent} when the field is absent. */
  public static long msgid(JsonObject body, String field, long absent)
      throws MalformedBodyException {
    Object value = body.getValue(field);
    return value == null ? absent : parseMsgid(field, value);
  }

  /** The logid as given: a string, else null (the platform keeps it only when it is valid). */
  public static String givenLogid(JsonObject body) {
    Object logid = body.getValue("logid");
    return logid instanceof String ? (String) logid : null;
  }

  private static long parseMsgid(String field, Object value) throws MalformedBodyException {
    if (!(value instanceof String)
        || ((String) value).isEmpty()
        || ((String) value).length() > MAX_MSGID_DIGITS
        || !((String) value).chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedBodyException(field + " must be a msgid: a decimal string");
    }
    try {
      long parsed = Long.parseUnsignedLong((String) value);
      return parsed < 0 ? Long.MAX_VALUE : parsed;
    } catch (NumberFormatException e) {
      throw new MalformedBodyException(field + " must be a msgid below 2^64");
    }
  }
}
