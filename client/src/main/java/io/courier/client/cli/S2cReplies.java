package io.courier.client.cli;

import io.vertx.core.json.JsonObject;

/** What the bridge's answer to a {@code courier.s2c} request means for the user. */
final class S2cReplies {
  private S2cReplies() {}

  /**
   * {@code code=0 msgid=ID status=pushed} on success; otherwise why not: the node's refusal code,
   * an event-bus failure (docs/event-bus.md, section 1), or a frame the bridge refused (section
   * 8.4).
   */
  static Outcome outcome(JsonObject frame, S2cOptions options) {
    if ("message".equals(frame.getString("type"))) {
      JsonObject reply = frame.getJsonObject("body", new JsonObject());
      if (reply.getInteger("code", -1) == 0) {
        return Outcome.ok(
            "code=0 msgid=" + reply.getString("msgid") + " status=" + reply.getString("status"));
      }
      return Outcome.failed("s2c refused: " + Lines.code(reply));
    }
    String failureType = frame.getString("failureType");
    if (failureType != null) {
      return Outcome.failed(busFailure(failureType, frame.getString("message"), options));
    }
    String message = frame.getString("message");
    if ("access_denied".equals(message)) {
      return Outcome.failed(
          "the bridge refused the request: access_denied"
              + (options.secret() == null
                  ? " (the node has a bridge secret: pass --secret or set "
                      + S2cOptions.SECRET_VARIABLE
                      + ")"
                  : " (wrong --secret?)"));
    }
    String field = frame.getString("field");
    return Outcome.failed(
        "the bridge refused the request: " + message + (field == null ? "" : " (" + field + ")"));
  }

  private static String busFailure(String failureType, String message, S2cOptions options) {
    return switch (failureType) {
      case "NO_HANDLERS" ->
          "no routing role answers courier.s2c (NO_HANDLERS): the node is starting, stopping or"
              + " down; nothing was sent";
      case "TIMEOUT" ->
          "no reply within "
              + options.timeoutSeconds()
              + " s (TIMEOUT): the message may or may not have been accepted";
      default -> "the request failed: " + failureType + (message == null ? "" : " " + message);
    };
  }
}
