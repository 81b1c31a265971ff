package io.courier.client;

import io.courier.message.Message;
import io.courier.protocol.Command;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Result;
import io.vertx.core.json.JsonObject;

/** A frame the server sent on its own initiative: PUSH, KICK or ERROR. */
public record ServerFrame(Command command, long seq, JsonObject body) {

  /** The message a PUSH carries. */
  public Message message() throws MalformedBodyException {
    return Message.fromPushBody(body);
  }

  /**
   * Whether this PUSH must be acknowledged ({@link CourierConnection#ackPush}): every PUSH but one
   * marked {@code "qos":0} (docs/protocol.md section 9.6), whose ack the server would ignore.
   */
  public boolean needsAck() {
    return command == Command.PUSH
        && !(body.getValue("qos") instanceof Number qos && qos.doubleValue() == 0);
  }

  /** The code and reason of a KICK or an ERROR. */
  public Result result() throws MalformedBodyException {
    return Result.fromJson(body);
  }
}
