package io.courier.protocol.body;

import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to {@code courier.admin.unban} (whose body is a {@link BanTarget}): {@code
 * {code: 0, lifted}}, false when no ban of that target was in force.
 */
public record UnbanAnswer(boolean lifted) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("lifted", lifted);
  }

  public static UnbanAnswer fromJson(JsonObject json) {
    return new UnbanAnswer(Boolean.TRUE.equals(json.getValue("lifted")));
  }
}
