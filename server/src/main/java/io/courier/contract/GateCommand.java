package io.courier.contract;

import io.courier.message.Message;
import io.courier.protocol.Code;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Bodies sent to {@link Addresses#gate(String)}: operations on sessions of that node.
 *
 * <ul>
 *   <li>{@code kick}: send KICK {@code {code, msg}} to {@code session} and close it (no reply).
 *   <li>{@code push}: {@code items: [{session, qos, message}]}, all for sessions of that node
 *       (routing groups recipients per node and sends one batch per node); the reply is {@code
 *       {results: [boolean]}} in item order, true when the PUSH was written to the session's
 *       connection.
 * </ul>
 */
public final class GateCommand {
  public static final String OP = "op";
  public static final String OP_KICK = "kick";
  public static final String OP_PUSH = "push";

  private GateCommand() {}

  public static JsonObject kick(String session, Code code) {
    return new JsonObject()
        .put(OP, OP_KICK)
        .put("session", session)
        .put("code", code.value())
        .put("msg", code.reason());
  }

  /** One PUSH of a batch; on the event bus {@code message} travels as a PUSH body. */
  public record PushItem(String session, int qos, Message message) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("session", session)
          .put("qos", qos)
          .put("message", message.toPushBody());
    }

    public static PushItem fromJson(JsonObject json) {
      return new PushItem(
          json.getString("session"),
          json.getInteger("qos"),
          Message.fromPushBody(json.getJsonObject("message")));
    }
  }

  public static JsonObject push(List<PushItem> items) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(item.toJson()));
    return new JsonObject().put(OP, OP_PUSH).put("items", array);
  }
}
