package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The answer to a valid C2S (0x8010): {@code {code, msg?, msgid, status?}}, with the msgid whatever
 * the code, so that a refusal by the business can be traced. A request refused before it got a
 * msgid is answered with a bare {@link Result}.
 *
 * @param status with code 0: {@link Step#HANDED} (a consumer accepted the message) or {@link
 *     Step#STORED} (qos 1: no consumer accepted it yet, it waits in the C2S outbox); else null
 */
public record C2sAnswer(Result result, long msgid, Step status) {

  public C2sAnswer {
    if (status != null && !Step.C2S_STATUSES.contains(status)) {
      throw new IllegalArgumentException(status + " is not a C2S status");
    }
  }

  /** An answer without status: a refusal. */
  public C2sAnswer(Result result, long msgid) {
    this(result, msgid, null);
  }

  public JsonObject toJson() {
    JsonObject json = result.toJson().put("msgid", Long.toString(msgid));
    return status == null ? json : json.put("status", status.wire());
  }

  public static C2sAnswer fromJson(JsonObject json) throws MalformedBodyException {
    Step status = null;
    if (json.getValue("status") != null) {
      status = Step.fromWire(Fields.string(json, "status"));
      if (status == null || !Step.C2S_STATUSES.contains(status)) {
        throw new MalformedBodyException("status must be handed or stored");
      }
    }
    return new C2sAnswer(Result.fromJson(json), MessageFields.msgid(json, "msgid"), status);
  }
}
