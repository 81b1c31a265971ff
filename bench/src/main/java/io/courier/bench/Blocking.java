package io.courier.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting on the bench's main thread (never an event loop), always with a time limit. */
final class Blocking {
  private static final long POLL_MS = 100;

  private Blocking() {}

  /**
   * The future's result; throws {@link BenchFailure} on failure or when {@code timeout} passes
   * first.
   */
  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BenchFailure("no result within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new BenchFailure(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    }
  }

  /** Polls {@code done} until it holds or {@code timeout} passes; true if it held. */
  static boolean until(BooleanSupplier done, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() >= end) {
        return false;
      }
      sleep(Math.min(POLL_MS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
    return true;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    }
  }

  /**
   * A bench that cannot go on (the node is not there, a phase timed out); the message is for the
   * user.
   */
  static final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
      super(message);
    }

    BenchFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
