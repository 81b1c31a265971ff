package io.courier.contract;

import io.vertx.core.json.JsonObject;

/**
 * Body of {@link Addresses#REFRESH}: the logged-in session {@code session} of {@code (uid,
 * appcode)} presents {@code token} to go on past its current token's expiry. The reply is a {@link
 * TokenGrant}, or a failure with the refusal's code (401, 403, 503 …).
 */
public record RefreshRequest(String uid, int appcode, String token, String session) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("uid", uid)
        .put("appcode", appcode)
        .put("token", token)
        .put("session", session);
  }

  public static RefreshRequest fromJson(JsonObject json) {
    return new RefreshRequest(
        json.getString("uid"),
        json.getInteger("appcode"),
        json.getString("token"),
        json.getString("session"));
  }
}
