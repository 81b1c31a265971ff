package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * An operator's {@code courier.admin.kick} request: {@code {uid, appcode?}}, the user's sessions on
 * every appcode, or on {@code appcode} only.
 *
 * @param appcode the one appcode, or null for all
 */
public record KickRequest(String uid, Integer appcode) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("uid", uid);
    if (appcode != null) {
      json.put("appcode", appcode);
    }
    return json;
  }

  /** Reads and checks the request (400 for a bad uid or appcode). */
  public static KickRequest fromJson(JsonObject json) throws MalformedBodyException {
    String uid = Fields.uid(json, "uid");
    Integer appcode = json.getValue("appcode") == null ? null : Fields.appcode(json, "appcode");
    return new KickRequest(uid, appcode);
  }
}
