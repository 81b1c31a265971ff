package io.courier.push;

import io.vertx.core.Future;

/** Sends notifications through one provider (APNs, FCM, the webhook). */
interface NotificationSender {

  /**
   * Sends {@code notification}; the answer says what the provider said. A connection failure or a
   * timeout is an {@link Answer.Verdict#RETRY}, never a failed future.
   */
  Future<Answer> send(Notification notification);
}
