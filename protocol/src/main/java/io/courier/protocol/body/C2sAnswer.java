package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The answer to a valid C2S (0x8010): {@code {code, msg?, msgid}}, with the msgid whatever the
 * code, so that a refusal by the business can be traced. A request refused before it got a msgid is
 * answered with a bare {@link Result}.
 */
public record C2sAnswer(Result result, long msgid) {

  public JsonObject toJson() {
    return result.toJson().put("msgid", Long.toString(msgid));
  }

  public static C2sAnswer fromJson(JsonObject json) throws MalformedBodyException {
    return new C2sAnswer(Result.fromJson(json), MessageFields.msgid(json, "msgid"));
  }
}
