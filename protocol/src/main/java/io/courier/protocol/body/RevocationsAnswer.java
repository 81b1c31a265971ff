package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to {@code courier.admin.revocations}: {@code {code: 0, revocations: [{appcode,
 * jti, exp, reason?}]}}, the revocations in force, soonest to end first.
 */
public record RevocationsAnswer(List<Revocation> revocations) {

  public RevocationsAnswer {
    revocations = List.copyOf(revocations);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(revocations.size()));
    revocations.forEach(revocation -> array.add(revocation.toJson()));
    return Result.ok().toJson().put("revocations", array);
  }

  public static RevocationsAnswer fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("revocations") instanceof JsonArray)) {
      throw new MalformedBodyException("revocations must be an array");
    }
    List<Revocation> revocations = new ArrayList<>();
    for (Object revocation : json.getJsonArray("revocations")) {
      if (!(revocation instanceof JsonObject)) {
        throw new MalformedBodyException("revocations must hold objects");
      }
      revocations.add(Revocation.fromJson((JsonObject) revocation));
    }
    return new RevocationsAnswer(revocations);
  }
}
