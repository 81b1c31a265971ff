package io.courier.testkit.fakes;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waits on futures from a test thread. Flows built on the fakes of this package complete
 * before they return, so the bound only turns a flow that hangs into a failure.
 */
public final class Await {
  private static final long BOUND_SECONDS = 5;

  private Await() {}

  /** The result of {@code future}; a failure is rethrown as it is. */
  public static <T> T result(Future<T> future) {
    try {
      return future.await(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no result within " + BOUND_SECONDS + " s", e);
    }
  }

  /** The cause of {@code future}'s failure; a success fails the test. */
  public static Throwable failure(Future<?> future) {
    try {
      future.await(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no result within " + BOUND_SECONDS + " s", e);
    } catch (Throwable expected) {
      return expected;
    }
    return fail("succeeded with " + future.result());
  }
}
