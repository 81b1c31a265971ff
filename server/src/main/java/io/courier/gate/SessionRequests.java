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
 *
 * <p>C2C messages are also limited in rate, {@code c2cPerSecond} in bursts of {@code c2cBurst}: one
 * beyond is answered 429 at once and neither queued nor stored.
 *
 * @implNote The C2C rate is counted here, per connection, because a connection is one sender: a
 *     LOGIN of the same {@code (uid, appcode)} kicks the older session, so a sender never has two
 *     connections at once. The bucket is a field of the connection, read and written on its event
 *     loop: no lock, no map, no shared state, and it goes with the connection. Counting in the
 *     routing role was rejected: there a sender's messages from several gates meet, so the bucket
 *     would have to live in a map shared by routing instances (or in Redis, a round trip per
 *     message), and a refused message would already have crossed the event bus. A sender that
 *     reconnects gets a full bucket again; the gate's login limits bound how often that can be.
 */
final class SessionRequests {
  /** The {@code msg} of a 429 for a C2C beyond the sender's rate (docs/protocol.md, C2C). */
  static final String C2C_RATE_EXCEEDED = "too many C2C messages per second; slow down";

  private final SessionIdentity identity;
  private final LogicClient logic;
  private final Outbound out;
  private final GateMetrics metrics;
  private final int maxInflight;
  private final C2cQueue c2c;
  private final TokenBucket c2cRate;
  private final GateLoop loop;
  private int inflight;

  SessionRequests(
      SessionIdentity identity,
      LogicClient logic,
      Outbound out,
      GateMetrics metrics,
      ConnectionSettings settings,
      GateLoop loop) {
    this.identity = identity;
    this.logic = logic;
    this.out = out;
    this.metrics = metrics;
    this.maxInflight = settings.maxInflight();
    this.loop = loop;
    this.c2cRate = new TokenBucket(settings.c2cPerSecond(), settings.c2cBurst(), nowMs());
    this.c2c = new C2cQueue(this::forward, () -> inflight--);
  }

  void handle(Command command, long seq, JsonObject body) {
    if (command == Command.C2C || command == Command.C2G) {
      handleC2c(command, seq, body);
    } else if (inflight >= maxInflight) {
      refuse(command, seq, ConnectionLimit.INFLIGHT);
    } else {
      inflight++;
      forward(command, seq, body).onComplete(done -> inflight--);
    }
  }

  /** A C2C or C2G: one rate and one ordered queue for both, the sender's messages in order. */
  private void handleC2c(Command command, long seq, JsonObject body) {
    if (!c2cRate.take(nowMs())) {
      refuse(command, seq, ConnectionLimit.C2C_RATE);
      return;
    }
    if (c2c.idle()) {
      if (inflight >= maxInflight) {
        refuse(command, seq, ConnectionLimit.INFLIGHT);
        return;
      }
      inflight++;
    }
    if (!c2c.offer(command, seq, body)) {
      refuse(command, seq, ConnectionLimit.C2C_QUEUE);
    }
  }

  private void refuse(Command command, long seq, ConnectionLimit limit) {
    metrics.limited(limit);
    String msg =
        switch (limit) {
          case C2C_QUEUE -> "too many C2C messages waiting; wait for answers";
          case C2C_RATE -> C2C_RATE_EXCEEDED;
          default -> "too many requests waiting for an answer; wait for answers";
        };
    out.respond(command, seq, Result.error(Code.RATE_LIMITED, msg).toJson());
  }

  private long nowMs() {
    return loop.nanoTime() / 1_000_000;
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
