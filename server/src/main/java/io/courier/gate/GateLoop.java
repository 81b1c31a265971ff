package io.courier.gate;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * The event loop a gate instance's connections run on: the way onto it from other threads, its
 * timers and its clocks. An interface so that unit tests drive time by hand.
 */
interface GateLoop {

  /** Runs {@code task} on the loop; safe to call from any thread. */
  void run(Handler<Void> task);

  /** A one-shot timer on the loop; returns its id. */
  long setTimer(long delayMs, Handler<Long> handler);

  void cancelTimer(long id);

  /** A monotonic clock for durations, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Wall-clock time, ms since the epoch, as {@link System#currentTimeMillis()}. */
  long currentTimeMillis();

  /** The loop of {@code context}, whose timers {@code vertx} runs. */
  static GateLoop of(Vertx vertx, Context context) {
    return new GateLoop() {
      @Override
      public void run(Handler<Void> task) {
        context.runOnContext(task);
      }

      @Override
      public long setTimer(long delayMs, Handler<Long> handler) {
        return vertx.setTimer(delayMs, handler);
      }

      @Override
      public void cancelTimer(long id) {
        vertx.cancelTimer(id);
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long currentTimeMillis() {
        return System.currentTimeMillis();
      }
    };
  }
}
