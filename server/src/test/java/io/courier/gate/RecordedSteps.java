package io.courier.gate;

import io.courier.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The delivery steps a gate reported, as {@code "<step> <msgid>"}, in order. */
final class RecordedSteps implements DeliverySteps {
  final List<String> steps = new ArrayList<>();

  @Override
  public void pushed(Message message, String session) {
    steps.add("pushed " + message.msgid());
  }

  @Override
  public void resent(Message message, String session) {
    steps.add("resent " + message.msgid());
  }

  @Override
  public void acked(
      Message message, String session, Duration pushToAck, boolean afterNotification) {
    steps.add(
        "acked "
            + message.msgid()
            + " after "
            + pushToAck.toMillis()
            + " ms"
            + (afterNotification ? " after a notification" : ""));
  }

  @Override
  public void expired(Message message, String session) {
    steps.add("expired " + message.msgid());
  }
}
