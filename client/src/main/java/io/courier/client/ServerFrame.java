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

  /** The code and reason of a KICK or an ERROR. */
  public Result result() throws MalformedBodyException {
    return Result.fromJson(body);
  }
}
