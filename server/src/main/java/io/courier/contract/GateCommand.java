package io.courier.contract;

import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Result;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies sent to {@link Addresses#gate(String)}: operations on sessions of that node.
 *
 * <ul>
 *   <li>{@code kick}: {@code {op, session, code, msg}}, send KICK {@code {code, msg}} to {@code
 *       session} and close it (no reply).
 *   <li>{@code push}: {@code items: [{session, qos, message}]}, all for sessions of that node
 *       (routing groups recipients per node and sends one batch per node); the reply is {@link
 *       PushResults}.
 * </ul>
 */
public final class GateCommand {
  public static final String OP = "op";
  public static final String OP_KICK = "kick";
  public static final String OP_PUSH = "push";

  private GateCommand() {}

  /** The kick of {@code session}, with the KICK's code and its default reason. */
  public static JsonObject kick(String session, Code code) {
    return Result.error(code, null).toJson().put(OP, OP_KICK).put("session", session);
  }

  /** One PUSH of a batch; on the event bus {@code message} travels as a PUSH body. */
  public record PushItem(String session, int qos, Message message) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("session", session)
          .put("qos", qos)
          .put("message", message.toBusBody());
    }

    /** Reads an item written by {@link #toJson()} on another Courier node. */
    public static PushItem fromJson(JsonObject json) {
      try {
        return new PushItem(
            json.getString("session"),
            json.getInteger("qos"),
            Message.fromPushBody(json.getJsonObject("message")));
      } catch (MalformedBodyException e) {
        throw new IllegalArgumentException("push item from another node: " + e.getMessage(), e);
      }
    }
  }

  public static JsonObject push(List<PushItem> items) {
    JsonArray array = new JsonArray(new ArrayList<>(items.size()));
    items.forEach(item -> array.add(item.toJson()));
    return new JsonObject().put(OP, OP_PUSH).put("items", array);
  }

  /**
   * The reply to a {@code push}: {@code {results: [boolean]}} in item order, true when the PUSH was
   * written to the session's connection.
   */
  public record PushResults(List<Boolean> results) {
    /** Wraps {@code results} without a copy: one reply per node batch, built and sent at once. */
    public JsonObject toJson() {
      return new JsonObject().put("results", new JsonArray(results));
    }

    public static PushResults fromJson(JsonObject json) {
      JsonArray array = json.getJsonArray("results");
      List<Boolean> results = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        results.add(array.getBoolean(i));
      }
      return new PushResults(results);
    }
  }
}
