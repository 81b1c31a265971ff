package io.courier.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Sends requests through one {@link Requester}, keeping at most {@code window} unanswered, until
 * stopped or until the shared message budget is spent. Runs on the requester's context; {@link
 * #stop()} may be called from any thread.
 */
final class WindowedSender {
  /** What to do with each answer; called on the sender's context. */
  interface Answers {
    void reply(JsonObject body, long sentNanos);

    void failure(Throwable failure, long sentNanos);
  }

  private final Requester requester;
  private final Context context;
  private final int window;
  private final String address;
  private final AtomicLong budget;
  private final LongFunction<JsonObject> bodies;
  private final Answers answers;
  private final Promise<Void> done = Promise.promise();
  private volatile boolean stopped;
  private int outstanding;
  private long sequence;

  /**
   * @param budget shared among senders: each request takes one unit; no more are sent once it is
   *     below 1 (use {@link Long#MAX_VALUE} for no count limit)
   * @param bodies the body of the request with the given sequence number (0-based, per sender)
   */
  WindowedSender(
      Requester requester,
      Context context,
      int window,
      String address,
      AtomicLong budget,
      LongFunction<JsonObject> bodies,
      Answers answers) {
    this.requester = requester;
    this.context = context;
    this.window = window;
    this.address = address;
    this.budget = budget;
    this.bodies = bodies;
    this.answers = answers;
  }

  void start() {
    context.runOnContext(v -> pump());
  }

  /** Sends no more requests; {@link #done()} completes when the outstanding ones are answered. */
  void stop() {
    stopped = true;
    context.runOnContext(v -> checkDone());
  }

  /** Completes when the sender has stopped (or spent the budget) and every request is answered. */
  Future<Void> done() {
    return done.future();
  }

  private void pump() {
    while (!stopped && outstanding < window) {
      if (requester.isClosed() || budget.getAndDecrement() < 1) {
        stopped = true;
        break;
      }
      long sentNanos = System.nanoTime();
      outstanding++;
      requester
          .request(address, bodies.apply(sequence++))
          .onComplete(
              answer -> {
                outstanding--;
                if (answer.succeeded()) {
                  answers.reply(answer.result(), sentNanos);
                } else {
                  answers.failure(answer.cause(), sentNanos);
                }
                pump();
              });
    }
    checkDone();
  }

  private void checkDone() {
    if (stopped && outstanding == 0) {
      done.tryComplete();
    }
  }
}
