package io.courier.protocol.body;

import io.vertx.core.json.JsonObject;

/**
 * The body of the response {@code 0x8001} to a LOGIN that succeeded: {@code {code: 0, session,
 * heartbeat, server_time}}, keys in this order (protocol.md section 10 shows its bytes).
 *
 * @param session the id the gate gave the connection
 * @param heartbeatSeconds the interval in seconds at which the client should send PING
 * @param serverTime the gate's clock, ms since the epoch
 */
public record LoginReply(String session, int heartbeatSeconds, long serverTime) {

  public JsonObject toJson() {
    return Result.ok()
        .toJson()
        .put("session", session)
        .put("heartbeat", heartbeatSeconds)
        .put("server_time", serverTime);
  }
}
