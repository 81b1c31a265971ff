package io.courier.gate;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.ops.Tracker;
import java.time.Duration;

/**
 * The steps of a push that the gate reports for the delivery metrics, traces and receipts. An
 * interface so that unit tests record them.
 */
interface DeliverySteps {

  /** Written to {@code session}. */
  void pushed(Message message, String session);

  /** Written again after the ack timeout. */
  void resent(Message message, String session);

  /**
   * Acknowledged by the client, {@code pushToAck} after the first write; {@code afterNotification}
   * when a wake-up notification had been asked for it ({@link LogicClient#unacked}).
   */
  void acked(Message message, String session, Duration pushToAck, boolean afterNotification);

  /** Unacknowledged after every resend; the message waits offline. */
  void expired(Message message, String session);

  /**
   * The steps as the node's tracker counts them: those of a message's addressed receiver only. The
   * copies of a message for a user's other terminals and read receipts (docs/conversations.md) are
   * no steps of its delivery: counted, they would report a message pushed to its receiver when a
   * sync copy reached the sender's other phone, and arrival rates above 1.
   */
  static DeliverySteps of(Tracker tracker) {
    return new DeliverySteps() {
      @Override
      public void pushed(Message message, String session) {
        if (counted(message)) {
          tracker.pushed(message, session);
        }
      }

      @Override
      public void resent(Message message, String session) {
        if (counted(message)) {
          tracker.resent(message, session);
        }
      }

      @Override
      public void acked(
          Message message, String session, Duration pushToAck, boolean afterNotification) {
        if (counted(message)) {
          tracker.acked(message, session, pushToAck, afterNotification);
        }
      }

      @Override
      public void expired(Message message, String session) {
        if (counted(message)) {
          tracker.expired(message, session);
        }
      }
    };
  }

  private static boolean counted(Message message) {
    return message.addressed() && message.kind() != Kind.READ;
  }
}
