package io.courier.store;

/**
 * The store's write queue is full: nothing was written, the caller answers 503 and the client
 * retries. Thrown in bursts under overload, so it carries no stack trace.
 */
public final class StoreOverloadedException extends RuntimeException {

  public StoreOverloadedException(int maxQueuedWrites) {
    super(
        "message store overloaded: " + maxQueuedWrites + " writes already waiting",
        null,
        false,
        false);
  }
}
