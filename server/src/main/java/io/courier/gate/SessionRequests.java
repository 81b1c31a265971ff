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
 *
 * <p>At most {@code maxInflight} requests of the connection are at the logic roles awaiting their
 * answer; one more is answered 429 at once, and the connection stays usable. The C2C queue takes
 * one of those places while it holds any C2C, since it sends one at a time: a C2C that finds the
 * queue empty needs a free place, the next ones only room in the queue ({@value
 * C2cQueue#MAX_WAITING}). So a client may still pipeline up to 256 C2C, in order, while the node
 * works on at most {@code maxInflight} of its requests.
 */
final class SessionRequests {
  private final SessionIdentity identity;
  private final LogicClient logic;
  private final Outbound out;
  private final GateMetrics metrics;
  private final int maxInflight;
  private final C2cQueue c2c;
  private int inflight;

  SessionRequests(
      SessionIdentity identity,
      LogicClient logic,
      Outbound out,
      GateMetrics metrics,
      int maxInflight) {
    this.identity = identity;
    this.logic = logic;
    this.out = out;
    this.metrics = metrics;
    this.maxInflight = maxInflight;
    this.c2c = new C2cQueue((seq, body) -> forward(Command.C2C, seq, body), () -> inflight--);
  }

  void handle(Command command, long seq, JsonObject body) {
    if (command == Command.C2C) {
      handleC2c(seq, body);
    } else if (inflight >= maxInflight) {
      refuse(command, seq, ConnectionLimit.INFLIGHT);
    } else {
      inflight++;
      forward(command, seq, body).onComplete(done -> inflight--);
    }
  }

  private void handleC2c(long seq, JsonObject body) {
    if (c2c.idle()) {
      if (inflight >= maxInflight) {
        refuse(Command.C2C, seq, ConnectionLimit.INFLIGHT);
        return;
      }
      inflight++;
    }
    if (!c2c.offer(seq, body)) {
      refuse(Command.C2C, seq, ConnectionLimit.C2C_QUEUE);
    }
  }

  private void refuse(Command command, long seq, ConnectionLimit limit) {
    metrics.limited(limit);
    String msg =
        limit == ConnectionLimit.C2C_QUEUE
            ? "too many C2C messages waiting; wait for answers"
            : "too many requests waiting for an answer; wait for answers";
    out.respond(command, seq, Result.error(Code.RATE_LIMITED, msg).toJson());
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
