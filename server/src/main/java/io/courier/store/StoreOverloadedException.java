package io.courier.store;

/**
 * The store's write or read queue is full: nothing was done, the caller answers 503 and the client
 * retries. Thrown in bursts under overload, so it carries no stack trace.
 */
public final class StoreOverloadedException extends RuntimeException {

  public StoreOverloadedException(int maxQueuedWrites) {
    this(maxQueuedWrites, "writes");
  }

  /**
   * @param what what waits: {@code writes}, {@code reads}
   */
  public StoreOverloadedException(int maxQueued, String what) {
    super(
        "message store overloaded: " + maxQueued + " " + what + " already waiting",
        null,
        false,
        false);
  }
}
