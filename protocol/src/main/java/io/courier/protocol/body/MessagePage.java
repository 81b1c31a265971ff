package io.courier.protocol.body;

import io.courier.message.Message;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to PULL (0x8030) and HISTORY (0x8032): {@code {code: 0, msgs, more}}, each item
 * a PUSH body ({@link Message#toPushBody()}); {@code more} is true when further messages exist past
 * the last one. A refusal is a {@link Result}.
 */
public record MessagePage(List<Message> msgs, boolean more) {

  public MessagePage {
    msgs = List.copyOf(msgs);
  }

  public JsonObject toJson() {
    JsonArray items = new JsonArray(new ArrayList<>(msgs.size()));
    for (Message message : msgs) {
      items.add(message.toPushBody());
    }
    return Result.ok().toJson().put("msgs", items).put("more", more);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static MessagePage fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("msgs") instanceof JsonArray)) {
      throw new MalformedBodyException("msgs must be an array");
    }
    if (!(json.getValue("more") instanceof Boolean)) {
      throw new MalformedBodyException("more must be a boolean");
    }
    JsonArray items = json.getJsonArray("msgs");
    List<Message> msgs = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof JsonObject)) {
        throw new MalformedBodyException("msgs must hold PUSH bodies");
      }
      msgs.add(Message.fromPushBody((JsonObject) item));
    }
    return new MessagePage(msgs, json.getBoolean("more"));
  }
}
