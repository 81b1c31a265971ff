package io.courier.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a backend that may not answer yet when the node starts: a node started together with its
 * MySQL servers, or on a machine so loaded that a first connection attempt times out. A failed
 * attempt is tried again after a pause that doubles from {@value #FIRST_PAUSE_MS} ms up to {@value
 * #MAX_PAUSE_MS} ms, until the next attempt would start after the deadline; then the last attempt's
 * failure is the result. Each attempt must give up by itself (bounded connect and open), and must
 * release what it created when it fails.
 */
public final class StartupRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);

  static final long FIRST_PAUSE_MS = 250;
  static final long MAX_PAUSE_MS = 4_000;

  private final Vertx vertx;
  private final String what;
  private final long deadlineNanos;

  private StartupRetry(Vertx vertx, String what, long deadlineNanos) {
    this.vertx = vertx;
    this.what = what;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * The first successful result of {@code attempt}, tried for up to {@code withinMillis}; {@code
   * what} names the backend in the log ("message store").
   */
  public static <T> Future<T> open(
      Vertx vertx, String what, long withinMillis, Supplier<Future<T>> attempt) {
    StartupRetry retry =
        new StartupRetry(vertx, what, System.nanoTime() + withinMillis * 1_000_000);
    return retry.attempt(attempt, 1, FIRST_PAUSE_MS);
  }

  private <T> Future<T> attempt(Supplier<Future<T>> attempt, int number, long pauseMs) {
    return attempt
        .get()
        .recover(
            failure -> {
              long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
              if (remainingMs <= pauseMs) {
                return Future.failedFuture(failure);
              }
              LOG.warn(
                  "{} not open (attempt {}: {}); trying again in {} ms",
                  what,
                  number,
                  failure.getMessage(),
                  pauseMs);
              return pause(pauseMs)
                  .compose(v -> attempt(attempt, number + 1, Math.min(pauseMs * 2, MAX_PAUSE_MS)));
            });
  }

  private Future<Void> pause(long millis) {
    Promise<Void> paused = Promise.promise();
    vertx.setTimer(millis, id -> paused.complete());
    return paused.future();
  }
}
