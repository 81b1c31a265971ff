package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to {@code courier.admin.kick}: {@code {code: 0, kicked}}, the number of
 * sessions that presence knew and that were sent KICK 4006 (0 when the user is offline).
 */
public record KickAnswer(int kicked) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("kicked", kicked);
  }

  public static KickAnswer fromJson(JsonObject json) throws MalformedBodyException {
    return new KickAnswer((int) Fields.integer(json, "kicked"));
  }
}
