package io.courier.gate;

import io.courier.contract.SessionRef;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The commands a logged-in session sends beyond login, ping and logout (C2S, C2C, PULL,
 * OFFLINE_ACK, HISTORY), handed over with the session's identity. The result is the response body,
 * whatever its code.
 */
public interface SessionCommands {

  Future<JsonObject> handle(SessionRef session, Command command, JsonObject body);
}
