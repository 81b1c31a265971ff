package io.courier.protocol.body;

import io.vertx.core.json.JsonObject;

/**
 * The body of the response {@code 0x8003} to a PING: {@code {code: 0, server_time}}.
 *
 * @param serverTime the gate's clock, ms since the epoch
 */
public record PingReply(long serverTime) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("server_time", serverTime);
  }
}
