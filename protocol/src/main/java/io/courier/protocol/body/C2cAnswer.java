package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to C2C (0x8011): {@code {code: 0, msgid, senddate}}, the accepted message's id
 * and time (of the first message, for a resend of an accepted cmid). A refusal is a {@link Result}.
 */
public record C2cAnswer(long msgid, long senddate) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("msgid", Long.toString(msgid)).put("senddate", senddate);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static C2cAnswer fromJson(JsonObject json) throws MalformedBodyException {
    return new C2cAnswer(MessageFields.msgid(json, "msgid"), Fields.integer(json, "senddate"));
  }
}
