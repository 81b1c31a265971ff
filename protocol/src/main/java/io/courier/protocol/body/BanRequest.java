package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * An operator's {@code courier.admin.ban} request: {@code {uid | ip, seconds, reason?}}. A new ban
 * of the same target replaces the old one, so a ban is extended or shortened by placing it again.
 *
 * @param seconds how long the ban holds, 1 s to {@link #MAX_SECONDS}
 * @param reason free text kept with the ban and listed, at most {@link #MAX_REASON_CHARS}; or null
 */
public record BanRequest(BanTarget target, long seconds, String reason) {
  /** The longest ban: 365 days. A permanent block belongs in the firewall or the token issuer. */
  public static final long MAX_SECONDS = 365L * 24 * 3600;

  public static final int MAX_REASON_CHARS = 200;

  public JsonObject toJson() {
    JsonObject json = target.writeTo(new JsonObject()).put("seconds", seconds);
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  /** Reads and checks the request (400 for a bad field). */
  public static BanRequest fromJson(JsonObject json) throws MalformedBodyException {
    BanTarget target = BanTarget.fromJson(json);
    long seconds = Fields.integer(json, "seconds");
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new MalformedBodyException("seconds must be an integer 1-" + MAX_SECONDS);
    }
    Object reason = json.getValue("reason");
    if (reason != null
        && (!(reason instanceof String) || ((String) reason).length() > MAX_REASON_CHARS)) {
      throw new MalformedBodyException("reason must be a string of at most 200 chars");
    }
    return new BanRequest(target, seconds, (String) reason);
  }
}
