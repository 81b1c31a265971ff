package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * A client's C2S message as the platform hands it to a business consumer on {@code
 * courier.c2s.<appcode>.<msgtype>} (event-bus.md 6): {@code {msgid, from_uid, from_appcode,
 * msgtype, content, senddate, logid}}. The consumer replies {@code {code: 0}} to accept it.
 *
 * @param senddate ms since the epoch when the platform accepted the message
 */
public record C2sMessage(
    long msgid,
    String fromUid,
    int fromAppcode,
    int msgtype,
    String content,
    long senddate,
    String logid) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("msgid", Long.toString(msgid))
        .put("from_uid", fromUid)
        .put("from_appcode", fromAppcode)
        .put("msgtype", msgtype)
        .put("content", content)
        .put("senddate", senddate)
        .put("logid", logid);
  }

  public static C2sMessage fromJson(JsonObject json) throws MalformedBodyException {
    return new C2sMessage(
        MessageFields.msgid(json, "msgid"),
        Fields.uid(json, "from_uid"),
        Fields.appcode(json, "from_appcode"),
        MessageFields.msgtype(json),
        Fields.string(json, "content"),
        Fields.integer(json, "senddate"),
        Fields.string(json, "logid"));
  }
}
