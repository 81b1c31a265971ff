package io.courier.gate;

import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The C2C and C2G messages of one connection on their way to routing, one at a time: routing gives
 * msgids in the order it receives the messages, so sending the next only when the previous is
 * answered is what keeps one sender's messages in order at the receivers. At most {@value
 * #MAX_WAITING} wait; beyond that the client is answered 429 and should wait for answers. Confined
 * to the connection's event loop.
 */
final class C2cQueue {

  /** C2C messages of one connection waiting for routing, the one in flight included. */
  static final int MAX_WAITING = 256;

  /** Sends one C2C or C2G request; the future completes when it has been answered. */
  interface Sender {
    Future<JsonObject> send(Command command, long seq, JsonObject body);
  }

  private final Sender sender;
  private final Runnable drained;
  private Future<JsonObject> tail = Future.succeededFuture();
  private int waiting;

  /**
   * @param drained runs each time the last waiting request has been answered
   */
  C2cQueue(Sender sender, Runnable drained) {
    this.sender = sender;
    this.drained = drained;
  }

  /**
   * Queues the C2C or C2G request {@code seq}; false, and nothing queued, when {@value
   * #MAX_WAITING} already wait.
   */
  boolean offer(Command command, long seq, JsonObject body) {
    if (waiting >= MAX_WAITING) {
      return false;
    }
    waiting++;
    tail =
        tail.transform(previous -> sender.send(command, seq, body).onComplete(done -> answered()));
    return true;
  }

  /** True when no request waits: the next one offered is sent at once. */
  boolean idle() {
    return waiting == 0;
  }

  private void answered() {
    waiting--;
    if (waiting == 0) {
      drained.run();
    }
  }
}
