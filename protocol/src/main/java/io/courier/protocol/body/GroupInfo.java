package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to the group requests (docs/groups.md, the business API): {@code {code: 0,
 * group: {group_id, title, closed, last_msgid, members: [{uid, appcode, joined, read_upto}]}}},
 * msgids as decimal strings. A refusal is a {@link Result}.
 */
public record GroupInfo(
    String groupId, String title, boolean closed, long lastMsgid, List<Member> members) {

  public GroupInfo {
    members = List.copyOf(members);
  }

  /** One member, with its join point and read position. */
  public record Member(String uid, int appcode, long joined, long readUpto) {
    JsonObject toJson() {
      return new JsonObject()
          .put("uid", uid)
          .put("appcode", appcode)
          .put("joined", Long.toString(joined))
          .put("read_upto", Long.toString(readUpto));
    }

    static Member fromJson(JsonObject json) throws MalformedBodyException {
      return new Member(
          Fields.uid(json, "uid"),
          Fields.appcode(json, "appcode"),
          MessageFields.msgid(json, "joined"),
          MessageFields.msgid(json, "read_upto"));
    }
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(members.size()));
    members.forEach(member -> array.add(member.toJson()));
    return Result.ok()
        .toJson()
        .put(
            "group",
            new JsonObject()
                .put("group_id", groupId)
                .put("title", title)
                .put("closed", closed)
                .put("last_msgid", Long.toString(lastMsgid))
                .put("members", array));
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static GroupInfo fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("group") instanceof JsonObject group)) {
      throw new MalformedBodyException("group must be an object");
    }
    if (!(group.getValue("members") instanceof JsonArray items)) {
      throw new MalformedBodyException("members must be an array");
    }
    if (!(group.getValue("closed") instanceof Boolean closed)) {
      throw new MalformedBodyException("closed must be a boolean");
    }
    List<Member> members = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof JsonObject member)) {
        throw new MalformedBodyException("members must hold members");
      }
      members.add(Member.fromJson(member));
    }
    return new GroupInfo(
        Fields.uid(group, "group_id"),
        Fields.string(group, "title"),
        closed,
        MessageFields.msgid(group, "last_msgid"),
        members);
  }
}
