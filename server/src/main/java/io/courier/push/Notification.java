package io.courier.push;

import io.courier.message.Message;
import io.vertx.core.json.JsonObject;

/**
 * One notification to one device: the trigger's message announced with {@code title} (and the
 * trigger's preview), on attempt {@code attempt} (1 for the first send).
 */
record Notification(Device device, Trigger trigger, String title, int attempt) {

  Message message() {
    return trigger.message();
  }

  /** The preview to show, or null. */
  String preview() {
    return trigger.preview();
  }

  /**
   * The provider's collapse key: one per receiver app, so the phone shows the latest of them, not a
   * stack.
   */
  String collapseId() {
    return "courier." + device.appcode();
  }

  /**
   * {@code payload} with the message's {@code group_id} when it is a group message, so the app
   * opens the group's conversation.
   */
  JsonObject withGroup(JsonObject payload) {
    return message().groupId() == null ? payload : payload.put("group_id", message().groupId());
  }

  /** The same notification, to be sent again. */
  Notification retry() {
    return new Notification(device, trigger, title, attempt + 1);
  }
}
