package io.courier.gate;

import io.courier.contract.SessionRef;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The commands a logged-in session sends beyond login, ping and logout (C2S, C2C, PULL, OFFLINE_ACK,
 * HISTORY), handed over by the gate with the session's identity. The result is the response body; a
 * failure is answered with code 500.
 */
public interface SessionCommands {

  /** Answers every messaging command with 503 while no messaging role is configured. */
  SessionCommands UNAVAILABLE = (session, command, body) -> Future.succeededFuture(
    new JsonObject().put("code", 503).put("msg", "messaging is not available on this node"));

  Future<JsonObject> handle(SessionRef session, Command command, JsonObject body);
}
