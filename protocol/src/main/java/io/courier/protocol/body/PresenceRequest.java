package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/** A business's {@code courier.presence} request (event-bus.md 4): {@code {uid}}. */
public record PresenceRequest(String uid) {

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid);
  }

  /** Reads and checks the request: {@code uid} must be a uid (400). */
  public static PresenceRequest fromJson(JsonObject json) throws MalformedBodyException {
    return new PresenceRequest(Fields.uid(json, "uid"));
  }
}
