package io.courier.push;

import io.vertx.core.Future;

/**
 * Sends notifications through one provider (APNs, FCM, the webhook). Called on the push role's
 * context: a request sent from a thread of no context may see its response end before the sender
 * reads its body, and the answer would never come.
 */
interface NotificationSender {

  /**
   * Sends {@code notification}; the answer says what the provider said. A connection failure or a
   * timeout is an {@link Answer.Verdict#RETRY}, never a failed future.
   */
  Future<Answer> send(Notification notification);
}
