package io.courier.push;

import io.courier.message.Message;

/**
 * A message whose receiver may need waking, as the push role holds it: without its content, which a
 * notification never carries (only {@code preview}, when the message's rule allows one).
 *
 * @param message the message, its content emptied
 * @param preview the start of the content to show, or null
 */
record Trigger(Message message, Cause cause, String preview) {

  /** Why the receiver may need waking. */
  enum Cause {
    /** Stored for a receiver that had no connection to take it. */
    STORED,
    /** Pushed and not acknowledged in time, or its connection dropped. */
    UNACKED
  }

  /** The receiver, the unit of collapse. */
  Receiver receiver() {
    return new Receiver(message.toUid(), message.toAppcode());
  }

  /** A receiver {@code (uid, appcode)}. */
  record Receiver(String uid, int appcode) {}
}
