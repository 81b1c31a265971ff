package io.courier.contract;

import io.vertx.core.json.JsonObject;

/**
 * Body of {@link Addresses#LOGIN}: a gate's session asks to log in {@code (uid, appcode)} with
 * {@code token}. The reply is a {@link Reply} with code 0 or an error code (401, 503 …).
 */
public record LoginRequest(String uid, int appcode, String token, String node, String session) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("uid", uid)
        .put("appcode", appcode)
        .put("token", token)
        .put("node", node)
        .put("session", session);
  }

  public static LoginRequest fromJson(JsonObject json) {
    return new LoginRequest(
        json.getString("uid"),
        json.getInteger("appcode"),
        json.getString("token"),
        json.getString("node"),
        json.getString("session"));
  }
}
