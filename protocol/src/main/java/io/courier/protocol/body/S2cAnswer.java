package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to {@code courier.s2c}: {@code {code: 0, msgid, status}} with {@code status}
 * one of {@link Step#S2C_STATUSES}. A refusal is a {@link Result}.
 */
public record S2cAnswer(long msgid, Step status) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("msgid", Long.toString(msgid)).put("status", status.wire());
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static S2cAnswer fromJson(JsonObject json) throws MalformedBodyException {
    return new S2cAnswer(MessageFields.msgid(json, "msgid"), status(json));
  }

  /** The {@code status} field: one of {@link Step#S2C_STATUSES}. */
  static Step status(JsonObject json) throws MalformedBodyException {
    Step status = Step.fromWire(Fields.string(json, "status"));
    if (status == null || !Step.S2C_STATUSES.contains(status)) {
      throw new MalformedBodyException("status must be pushed, stored or dropped");
    }
    return status;
  }
}
