package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The input checks every store makes before it queues a request, against the limits of {@link
 * MessageStore}: a request a database would refuse fails alone, at once (IllegalArgumentException),
 * instead of failing a batch.
 */
final class StoreInput {
  private StoreInput() {}

  /**
   * {@code action}'s future, or a failed one at once when {@code checks} refuses the input
   * (IllegalArgumentException).
   */
  static <T> Future<T> checked(Runnable checks, Supplier<Future<T>> action) {
    try {
      checks.run();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return action.get();
  }

  static void checkMessage(Message message) {
    if (message.msgid() <= 0) {
      throw new IllegalArgumentException("msgid must be positive, got " + message.msgid());
    }
    if (message.kind() == null || message.fromUid() == null || message.content() == null) {
      throw new IllegalArgumentException(
          "message " + message.msgid() + " lacks kind, from_uid or content");
    }
    if (message.fromUid().length() > MessageStore.MAX_KEY_CHARS) {
      throw new IllegalArgumentException(
          "from_uid longer than " + MessageStore.MAX_KEY_CHARS + " characters");
    }
    checkKey("to_uid", message.toUid());
    checkKey("logid", message.logid());
    if (message.content().length() > MessageStore.MAX_CONTENT_CHARS) {
      throw new IllegalArgumentException(
          "content longer than " + MessageStore.MAX_CONTENT_CHARS + " characters");
    }
  }

  static void checkKey(String name, String value) {
    if (value == null || value.isEmpty() || value.length() > MessageStore.MAX_KEY_CHARS) {
      throw new IllegalArgumentException(
          name + " must be 1-" + MessageStore.MAX_KEY_CHARS + " characters");
    }
  }

  /** At most a page of {@code items} (msgids, peers) in one request. */
  static void checkPage(String what, Collection<?> items) {
    if (items.size() > MessageStore.MAX_PAGE) {
      throw new IllegalArgumentException(
          "at most " + MessageStore.MAX_PAGE + " " + what + " at once");
    }
  }

  /** The owner and the peers of a look-up of conversation positions. */
  static void checkPeers(String owner, Collection<String> peers) {
    checkKey("owner", owner);
    peers.forEach(peer -> checkKey("peer", peer));
    checkPage("peers", peers);
  }

  static void checkLimit(int limit) {
    if (limit < 1 || limit > MessageStore.MAX_PAGE) {
      throw new IllegalArgumentException(
          "limit must be 1-" + MessageStore.MAX_PAGE + ", got " + limit);
    }
  }
}
