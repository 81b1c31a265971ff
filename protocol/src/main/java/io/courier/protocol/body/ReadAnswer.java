package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to READ (0x8033): {@code {code: 0, read_upto}}, the conversation's read
 * position after the request: its {@code upto}, or a higher position an earlier READ (from any
 * terminal) left. A refusal is a {@link Result}.
 */
public record ReadAnswer(long readUpto) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("read_upto", Long.toString(readUpto));
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static ReadAnswer fromJson(JsonObject json) throws MalformedBodyException {
    return new ReadAnswer(MessageFields.msgid(json, "read_upto"));
  }
}
