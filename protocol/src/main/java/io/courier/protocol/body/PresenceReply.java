package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to {@code courier.presence}: {@code {code: 0, sessions: [{appcode, node,
 * since}]}}, one entry per appcode on which the user is logged in. A refusal is a {@link Result}.
 */
public record PresenceReply(List<Entry> sessions) {

  /**
   * One logged-in session: the gate node holding its connection, and its login time in ms since the
   * epoch.
   */
  public record Entry(int appcode, String node, long since) {

    public JsonObject toJson() {
      return new JsonObject().put("appcode", appcode).put("node", node).put("since", since);
    }

    public static Entry fromJson(JsonObject json) throws MalformedBodyException {
      return new Entry(
          Fields.appcode(json, "appcode"),
          Fields.string(json, "node"),
          Fields.integer(json, "since"));
    }
  }

  public PresenceReply {
    sessions = List.copyOf(sessions);
  }

  public JsonObject toJson() {
    JsonArray entries = new JsonArray(new ArrayList<>(sessions.size()));
    for (Entry entry : sessions) {
      entries.add(entry.toJson());
    }
    return Result.ok().toJson().put("sessions", entries);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static PresenceReply fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("sessions") instanceof JsonArray)) {
      throw new MalformedBodyException("sessions must be an array");
    }
    List<Entry> sessions = new ArrayList<>();
    for (Object entry : json.getJsonArray("sessions")) {
      if (!(entry instanceof JsonObject)) {
        throw new MalformedBodyException("sessions must hold objects");
      }
      sessions.add(Entry.fromJson((JsonObject) entry));
    }
    return new PresenceReply(sessions);
  }
}
