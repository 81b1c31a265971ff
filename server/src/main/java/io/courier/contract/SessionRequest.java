package io.courier.contract;

import io.vertx.core.json.JsonObject;

/**
 * Body of the internal session addresses ({@link Addresses#C2C}, {@link Addresses#PULL} …): the
 * logged-in identity the gate vouches for, and the client's body as it came (validated by the role
 * that owns it).
 */
public record SessionRequest(SessionRef session, JsonObject body) {

  public JsonObject toJson() {
    return new JsonObject().put("session", session.toJson()).put("body", body);
  }

  public static SessionRequest fromJson(JsonObject json) {
    return new SessionRequest(
        SessionRef.fromJson(json.getJsonObject("session")), json.getJsonObject("body"));
  }
}
