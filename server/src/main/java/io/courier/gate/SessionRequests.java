package io.courier.gate;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The commands a logged-in session sends beyond LOGIN, PING and LOGOUT (C2S, C2C, PULL,
 * OFFLINE_ACK, HISTORY): each is handed to its logic role with the session's identity, and the
 * role's answer is written back as the response, unless the connection has ended meanwhile. C2C
 * requests go through the connection's {@link C2cQueue}, the others at once: their responses may
 * overtake each other. Confined to the connection's event loop.
 */
final class SessionRequests {
  private final SessionIdentity identity;
  private final LogicClient logic;
  private final Outbound out;
  private final C2cQueue c2c;

  SessionRequests(SessionIdentity identity, LogicClient logic, Outbound out) {
    this.identity = identity;
    this.logic = logic;
    this.out = out;
    this.c2c = new C2cQueue((seq, body) -> forward(Command.C2C, seq, body));
  }

  void handle(Command command, long seq, JsonObject body) {
    if (command != Command.C2C) {
      forward(command, seq, body);
    } else if (!c2c.offer(seq, body)) {
      out.respond(
          command,
          seq,
          Result.error(Code.RATE_LIMITED, "too many C2C messages waiting; wait for answers")
              .toJson());
    }
  }

  private Future<JsonObject> forward(Command command, long seq, JsonObject body) {
    return logic
        .handle(identity.ref(), command, body)
        .onComplete(
            result -> {
              if (!out.ended()) {
                out.respond(
                    command,
                    seq,
                    result.succeeded()
                        ? result.result()
                        : Result.error(Code.INTERNAL, null).toJson());
              }
            });
  }
}
