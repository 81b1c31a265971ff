package io.courier.bench;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Puts messages in the offline store of a user who is not online: qos-1 courier.s2c over the
 * bridge.
 */
final class OfflineFill {
  private static final int WINDOW = 64;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private OfflineFill() {}

  /** Blocks until {@code messages} were answered; fails unless every answer is code 0. */
  static void fill(BenchRun run, String uid, int appcode, int messages, int contentBytes) {
    if (messages == 0) {
      return;
    }
    run.progress(
        "attack: putting %,d offline messages of %,d bytes for %s", messages, contentBytes, uid);
    BridgeClient bridge =
        Blocking.await(
            BridgeClient.connect(
                run.vertx,
                run.loops.get(0),
                run.host(),
                run.options.integer(BenchOption.BRIDGE_PORT),
                run.requestTimeout().toMillis()),
            Duration.ofSeconds(15));
    try {
      Outcomes refused = new Outcomes();
      Promise<Void> done = Promise.promise();
      JsonObject body =
          new JsonObject()
              .put("to_uid", uid)
              .put("to_appcode", appcode)
              .put("msgtype", 9)
              .put("content", "x".repeat(contentBytes))
              .put("qos", 1);
      run.loops
          .get(0)
          .runOnContext(v -> send(bridge, body, messages, new int[] {0, 0}, refused, done));
      Blocking.await(done.future(), TIMEOUT);
      if (refused.total() > 0) {
        throw new Blocking.BenchFailure("offline messages refused: " + refused.text());
      }
    } finally {
      bridge.close();
    }
  }

  /** {@code state}: sent, answered. */
  private static void send(
      BridgeClient bridge,
      JsonObject body,
      int messages,
      int[] state,
      Outcomes refused,
      Promise<Void> done) {
    while (state[0] < messages && state[0] - state[1] < WINDOW) {
      state[0]++;
      bridge
          .request("courier.s2c", body.copy())
          .onComplete(
              reply -> {
                state[1]++;
                if (reply.failed()) {
                  refused.failure(reply.cause());
                } else {
                  refused.response(reply.result());
                }
                if (state[1] == messages) {
                  done.tryComplete();
                } else {
                  send(bridge, body, messages, state, refused, done);
                }
              });
    }
  }
}
