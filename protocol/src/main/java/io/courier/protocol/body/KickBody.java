package io.courier.protocol.body;

import io.courier.protocol.Code;
import io.vertx.core.json.JsonObject;

/**
 * The body of a KICK {@code 0x0040}, the last frame before the server closes: {@code {code, msg}}
 * with the kick's code (4001 replaced, 4002 server shutting down, 4003 idle timeout, 4004 token
 * expired or revoked, 4005 too many frames, 4006 kicked by operator) and its reason as {@code msg}.
 */
public record KickBody(Code code) {

  public JsonObject toJson() {
    return Result.error(code, code.reason()).toJson();
  }
}
