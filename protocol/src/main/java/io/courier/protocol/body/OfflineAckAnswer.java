package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to OFFLINE_ACK (0x8031): {@code {code: 0, removed}}, how many offline messages
 * it removed. A refusal is a {@link Result}.
 */
public record OfflineAckAnswer(int removed) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("removed", removed);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static OfflineAckAnswer fromJson(JsonObject json) throws MalformedBodyException {
    long removed = Fields.integer(json, "removed");
    if (removed < 0 || removed > Integer.MAX_VALUE) {
      throw new MalformedBodyException("removed must be a count");
    }
    return new OfflineAckAnswer((int) removed);
  }
}
