package io.courier.contract;

import io.vertx.core.json.JsonObject;

/**
 * One logged-in session: who, and where its connection lives ({@code node} is the gate node's id,
 * {@code session} unique per connection). Used as the presence record and in logout notices.
 *
 * @param since login time in ms since the epoch
 */
public record SessionRef(String uid, int appcode, String node, String session, long since) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("uid", uid)
        .put("appcode", appcode)
        .put("node", node)
        .put("session", session)
        .put("since", since);
  }

  public static SessionRef fromJson(JsonObject json) {
    return new SessionRef(
        json.getString("uid"),
        json.getInteger("appcode"),
        json.getString("node"),
        json.getString("session"),
        json.getLong("since"));
  }
}
