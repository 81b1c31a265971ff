package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * One operator's ban as the platform keeps and lists it: {@code {uid | ip, until, reason?}}, {@code
 * until} in ms since the epoch.
 *
 * @param reason what the operator gave, or null
 */
public record Ban(BanTarget target, long until, String reason) {

  /** Whether the ban still holds at {@code nowMs} (ms since the epoch). */
  public boolean activeAt(long nowMs) {
    return nowMs < until;
  }

  public JsonObject toJson() {
    JsonObject json = target.writeTo(new JsonObject()).put("until", until);
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  public static Ban fromJson(JsonObject json) throws MalformedBodyException {
    Object reason = json.getValue("reason");
    if (reason != null && !(reason instanceof String)) {
      throw new MalformedBodyException("reason must be a string");
    }
    return new Ban(BanTarget.fromJson(json), Fields.integer(json, "until"), (String) reason);
  }
}
