package io.courier.protocol.body;

import io.courier.message.Message;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to CONVERSATIONS (0x8034): {@code {code: 0, convs, more}}, the session user's
 * conversations by last activity, the most recent first; {@code more} is true when older ones
 * follow. A refusal is a {@link Result}.
 */
public record ConversationPage(List<Entry> convs, boolean more) {

  public ConversationPage {
    convs = List.copyOf(convs);
  }

  /**
   * One conversation: {@code {peer_uid, last_msgid, read_upto, unread, last?}}, or for a group
   * (docs/groups.md) {@code {group_id, title, last_msgid, read_upto, unread, last?}}; {@code last}
   * is the last message as a PUSH body with its {@code state}, absent when the retention purge took
   * it (or, in a group, when it is older than the user's join point).
   */
  public record Entry(
      String peerUid,
      long lastMsgid,
      long readUpto,
      long unread,
      Message last,
      String groupId,
      String title) {

    /** A two-person conversation's entry. */
    public Entry(String peerUid, long lastMsgid, long readUpto, long unread, Message last) {
      this(peerUid, lastMsgid, readUpto, unread, last, null, null);
    }

    JsonObject toJson() {
      JsonObject json =
          groupId != null
              ? new JsonObject().put("group_id", groupId).put("title", title)
              : new JsonObject().put("peer_uid", peerUid);
      json.put("last_msgid", Long.toString(lastMsgid))
          .put("read_upto", Long.toString(readUpto))
          .put("unread", unread);
      if (last != null) {
        json.put("last", last.toPushBody());
      }
      return json;
    }

    static Entry fromJson(JsonObject json) throws MalformedBodyException {
      Message last =
          json.getValue("last") instanceof JsonObject body ? Message.fromPushBody(body) : null;
      boolean group = json.getValue("group_id") != null;
      return new Entry(
          group ? null : Fields.string(json, "peer_uid"),
          MessageFields.msgid(json, "last_msgid"),
          json.getValue("read_upto") == null ? 0 : MessageFields.msgid(json, "read_upto", 0),
          Fields.integer(json, "unread"),
          last,
          group ? Fields.uid(json, "group_id") : null,
          group ? Fields.string(json, "title") : null);
    }
  }

  public JsonObject toJson() {
    JsonArray items = new JsonArray(new ArrayList<>(convs.size()));
    for (Entry entry : convs) {
      items.add(entry.toJson());
    }
    return Result.ok().toJson().put("convs", items).put("more", more);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static ConversationPage fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("convs") instanceof JsonArray items)) {
      throw new MalformedBodyException("convs must be an array");
    }
    if (!(json.getValue("more") instanceof Boolean more)) {
      throw new MalformedBodyException("more must be a boolean");
    }
    List<Entry> convs = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof JsonObject entry)) {
        throw new MalformedBodyException("convs must hold conversations");
      }
      convs.add(Entry.fromJson(entry));
    }
    return new ConversationPage(convs, more);
  }
}
