package io.courier.push;

import io.courier.message.Message;

/**
 * Where the flows hand a qos-1 message whose receiver may need waking (docs/push.md, when an app is
 * woken). Called on the flows' event loops: an implementation returns at once, never waits for a
 * provider, and drops (and counts) what it cannot hold.
 */
public interface Notifier {
  /** Nothing is ever notified: a node without the push role, and tests. */
  Notifier NONE =
      new Notifier() {
        @Override
        public void stored(Message message) {}

        @Override
        public void unacked(Message message) {}
      };

  /** {@code message} waits in the offline store: its receiver had no connection to take it. */
  void stored(Message message);

  /** {@code message} was pushed and not acknowledged in time, or its connection dropped. */
  void unacked(Message message);
}
