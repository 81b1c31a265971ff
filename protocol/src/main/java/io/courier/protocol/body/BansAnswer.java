package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to {@code courier.admin.bans}: {@code {code: 0, bans: [{uid | ip, until,
 * reason?}]}}, the bans in force, soonest to end first.
 */
public record BansAnswer(List<Ban> bans) {

  public BansAnswer {
    bans = List.copyOf(bans);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(bans.size()));
    bans.forEach(ban -> array.add(ban.toJson()));
    return Result.ok().toJson().put("bans", array);
  }

  public static BansAnswer fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("bans") instanceof JsonArray)) {
      throw new MalformedBodyException("bans must be an array");
    }
    List<Ban> bans = new ArrayList<>();
    for (Object ban : json.getJsonArray("bans")) {
      if (!(ban instanceof JsonObject)) {
        throw new MalformedBodyException("bans must hold objects");
      }
      bans.add(Ban.fromJson((JsonObject) ban));
    }
    return new BansAnswer(bans);
  }
}
