package io.courier.gate;

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

  /** The steps as the node's tracker counts them. */
  static DeliverySteps of(Tracker tracker) {
    return new DeliverySteps() {
      @Override
      public void pushed(Message message, String session) {
        tracker.pushed(message, session);
      }

      @Override
      public void resent(Message message, String session) {
        tracker.resent(message, session);
      }

      @Override
      public void acked(
          Message message, String session, Duration pushToAck, boolean afterNotification) {
        tracker.acked(message, session, pushToAck, afterNotification);
      }

      @Override
      public void expired(Message message, String session) {
        tracker.expired(message, session);
      }
    };
  }
}
