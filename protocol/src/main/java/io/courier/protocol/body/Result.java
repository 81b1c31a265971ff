package io.courier.protocol.body;

import io.courier.protocol.Code;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The {@code {code, msg}} that opens every answer, on the wire and on the event bus (protocol.md
 * 6.3): {@code code} 0 or a code of section 7, {@code msg} a human-readable reason, present when
 * {@code code} is not 0. Every answer record writes its code through this one.
 *
 * @param msg the reason, or null for none (answers with code 0)
 */
public record Result(Code code, String msg) {
  private static final Result OK = new Result(Code.OK, null);

  /** Code 0, no reason. */
  public static Result ok() {
    return OK;
  }

  /** {@code code} with {@code msg}, or with the code's default reason when {@code msg} is null. */
  public static Result error(Code code, String msg) {
    return new Result(code, msg == null ? code.reason() : msg);
  }

  /** {@code failure}'s code and reason: 400 for a malformed body, else the code it carries. */
  public static Result of(MalformedBodyException failure) {
    return error(failure.code(), failure.getMessage());
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public JsonObject toJson() {
    return writeTo(new JsonObject());
  }

  /**
   * Writes {@code code}, and {@code msg} when there is one, into {@code json}; an answer calls this
   * first so that its code leads.
   */
  public JsonObject writeTo(JsonObject json) {
    json.put("code", code.value());
    if (msg != null) {
      json.put("msg", msg);
    }
    return json;
  }

  /**
   * Reads the code and reason of any answer; a code this version does not know reads as 500 (an
   * unknown code is a failure of the request).
   */
  public static Result fromJson(JsonObject json) throws MalformedBodyException {
    long code = Fields.integer(json, "code");
    Object msg = json.getValue("msg");
    if (msg != null && !(msg instanceof String)) {
      throw new MalformedBodyException("msg must be a string");
    }
    return new Result(
        code < Integer.MIN_VALUE || code > Integer.MAX_VALUE
            ? Code.INTERNAL
            : Code.fromValue((int) code),
        (String) msg);
  }
}
