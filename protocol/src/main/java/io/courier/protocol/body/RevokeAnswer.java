package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The code-0 answer to {@code courier.tokens.revoke}: {@code {code: 0, revocation, kept}}. {@code
 * kept} is false when the token's {@code exp} has already passed: such a token is refused as
 * expired, so nothing is kept. Like a ban's answer it carries no count of kicked sessions: each
 * node kicks its own once the revocation reaches it.
 */
public record RevokeAnswer(Revocation revocation, boolean kept) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("revocation", revocation.toJson()).put("kept", kept);
  }

  public static RevokeAnswer fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("revocation") instanceof JsonObject)) {
      throw new MalformedBodyException("revocation must be an object");
    }
    return new RevokeAnswer(
        Revocation.fromJson(json.getJsonObject("revocation")),
        Boolean.TRUE.equals(json.getValue("kept")));
  }
}
