package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to {@code courier.admin.ban}: {@code {code: 0, ban}}, the ban as kept (its
 * target in canonical form, its {@code until}). It carries no count of kicked sessions: each node
 * kicks its own once the ban reaches it, after this answer.
 */
public record BanAnswer(Ban ban) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("ban", ban.toJson());
  }

  public static BanAnswer fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("ban") instanceof JsonObject)) {
      throw new MalformedBodyException("ban must be an object");
    }
    return new BanAnswer(Ban.fromJson(json.getJsonObject("ban")));
  }
}
