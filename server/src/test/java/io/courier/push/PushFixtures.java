package io.courier.push;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.body.PushProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Messages, triggers and notifications for the push role's unit tests. */
final class PushFixtures {
  private PushFixtures() {}

  static Message message(long msgid, String toUid) {
    return new Message(
        msgid, Kind.S2C, "", 0, toUid, 101, 1, "order " + msgid, 1_000, "log-" + msgid);
  }

  static Trigger trigger(long msgid, String toUid) {
    return new Trigger(message(msgid, toUid), Trigger.Cause.STORED, null);
  }

  static Device device(String uid, PushProvider provider, String token) {
    return new Device(uid, 101, "", provider, token, "com.example.app", 1_000);
  }

  /**
   * The result of {@code call} made on {@code loop}, within 30 s. A provider client's response
   * comes on the event loop of the context that made the request; made from the test's thread, each
   * call gets a context of its own, its response may reach a connection of another loop, and the
   * sender's {@code body()} can then be asked for after the response ended, which never completes.
   * The push role calls its senders on its own context, as this does.
   */
  static <T> T onLoop(Context loop, Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> call.get().onComplete(result));
    return result.future().await(30, TimeUnit.SECONDS);
  }

  static Notification notification(long msgid, String uid) {
    return new Notification(
        device(uid, PushProvider.APNS, "aa" + msgid), trigger(msgid, uid), "New message", 1);
  }
}
