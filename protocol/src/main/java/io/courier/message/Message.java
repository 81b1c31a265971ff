package io.courier.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * A message the platform has accepted: what is stored, routed and pushed.
 *
 * <p>{@code msgid} is positive (63 bits, see {@link MsgIdGenerator}) and travels as a decimal
 * string. An S2C message names no sender unless the business gave {@code from_uid}; then {@code
 * fromUid} is {@code ""} and {@code fromAppcode} 0.
 *
 * @param senddate ms since the epoch when the platform accepted the message
 * @param logid the message's trace id (protocol section 6)
 */
public record Message(
    long msgid,
    Kind kind,
    String fromUid,
    int fromAppcode,
    String toUid,
    int toAppcode,
    int msgtype,
    String content,
    long senddate,
    String logid) {

  /** The body of a PUSH frame, also the item of PULL and HISTORY responses. */
  public JsonObject toPushBody() {
    return new JsonObject()
        .put("msgid", Long.toString(msgid))
        .put("kind", kind.wire())
        .put("from_uid", fromUid)
        .put("from_appcode", fromAppcode)
        .put("to_uid", toUid)
        .put("to_appcode", toAppcode)
        .put("msgtype", msgtype)
        .put("content", content)
        .put("senddate", senddate)
        .put("logid", logid);
  }

  /**
   * Writes the JSON of {@link #toPushBody()}, field for field, without building the object (a PUSH
   * frame's body).
   */
  public void writePushBody(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("msgid", Long.toString(msgid));
    json.writeStringField("kind", kind.wire());
    json.writeStringField("from_uid", fromUid);
    json.writeNumberField("from_appcode", fromAppcode);
    json.writeStringField("to_uid", toUid);
    json.writeNumberField("to_appcode", toAppcode);
    json.writeNumberField("msgtype", msgtype);
    json.writeStringField("content", content);
    json.writeNumberField("senddate", senddate);
    json.writeStringField("logid", logid);
    json.writeEndObject();
  }

  /**
   * Reads back {@link #toPushBody()}; used between Courier's own verticles, so the body is trusted.
   */
  public static Message fromPushBody(JsonObject body) {
    return new Message(
        Long.parseLong(body.getString("msgid")),
        Kind.fromWire(body.getString("kind")),
        body.getString("from_uid"),
        body.getInteger("from_appcode"),
        body.getString("to_uid"),
        body.getInteger("to_appcode"),
        body.getInteger("msgtype"),
        body.getString("content"),
        body.getLong("senddate"),
        body.getString("logid"));
  }
}
