package io.courier.push;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.body.PushProvider;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Messages, triggers and notifications for the push role's unit tests. */
final class PushFixtures {
  private PushFixtures() {}

  /**
   * Sends {@code notification} from a Vert.x context, as the push role does: called from a test's
   * own thread, a request's response can end before the sender reads its body, and the answer never
   * comes.
   */
  static Answer sendOnContext(Vertx vertx, NotificationSender sender, Notification notification)
      throws Exception {
    Promise<Answer> answer = Promise.promise();
    vertx.runOnContext(v -> sender.send(notification).onComplete(answer));
    return answer.future().await(30, TimeUnit.SECONDS);
  }

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

  static Notification notification(long msgid, String uid) {
    return new Notification(
        device(uid, PushProvider.APNS, "aa" + msgid), trigger(msgid, uid), "New message", 1);
  }
}
