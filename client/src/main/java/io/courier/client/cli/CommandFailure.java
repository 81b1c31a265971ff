package io.courier.client.cli;

import io.vertx.core.Future;

/** An operation failed; the message is printed on stderr and the process exits with 1. */
final class CommandFailure extends Exception {
  CommandFailure(String message) {
    super(message);
  }

  /**
   * The result of {@code future}, waited for on the calling thread (never an event loop); a failure
   * becomes a {@code CommandFailure} saying what was being done.
   */
  static <T> T await(Future<T> future, String doing) throws CommandFailure {
    try {
      return future.await();
    } catch (Exception e) {
      throw new CommandFailure(doing + ": " + e.getMessage());
    }
  }
}
