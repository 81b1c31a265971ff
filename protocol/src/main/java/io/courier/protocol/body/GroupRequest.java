package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A business's request on a group (docs/groups.md, the business API): {@code courier.group.create}
 * {@code {group_id, title?, members}}, {@code courier.group.members} {@code {group_id, add?,
 * remove?}}, {@code courier.group.close} and {@code courier.group.info} {@code {group_id}}. A
 * refusal names the field: 400, or 403 for an appcode that is no configured app.
 *
 * @param title "" when not given
 * @param add the members to add ({@code members} of a create)
 * @param remove the uids to remove
 */
public record GroupRequest(String groupId, String title, List<Invitee> add, List<String> remove) {

  /** Longest title, in chars. */
  public static final int MAX_TITLE_CHARS = 256;

  /** Most entries in one list of a request; the group's own size limit is the node's. */
  public static final int MAX_LISTED = 1_000;

  public GroupRequest {
    add = List.copyOf(add);
    remove = List.copyOf(remove);
  }

  /** A member to add: {@code {uid, appcode}}. */
  public record Invitee(String uid, int appcode) {
    JsonObject toJson() {
      return new JsonObject().put("uid", uid).put("appcode", appcode);
    }
  }

  public static GroupRequest create(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    String groupId = groupId(body);
    String title = title(body);
    if (body.getValue("members") == null) {
      throw new MalformedBodyException("members is required");
    }
    return new GroupRequest(groupId, title, invitees(body, "members", limits), List.of());
  }

  public static GroupRequest members(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    String groupId = groupId(body);
    if (body.getValue("add") == null && body.getValue("remove") == null) {
      throw new MalformedBodyException("add or remove is required");
    }
    List<Invitee> add = body.getValue("add") == null ? List.of() : invitees(body, "add", limits);
    List<String> remove = new ArrayList<>();
    if (body.getValue("remove") != null) {
      for (Object item : array(body, "remove")) {
        remove.add(
            Fields.uid(new JsonObject().put("each uid of remove", item), "each uid of remove"));
      }
    }
    return new GroupRequest(groupId, "", add, remove);
  }

  /** The request of {@code courier.group.close} and {@code courier.group.info}. */
  public static GroupRequest target(JsonObject body) throws MalformedBodyException {
    return new GroupRequest(groupId(body), "", List.of(), List.of());
  }

  /** The body of a create ({@code add} as {@code members}). */
  public JsonObject toCreateJson() {
    return new JsonObject()
        .put("group_id", groupId)
        .put("title", title)
        .put("members", invitees(add));
  }

  /** The body of a membership change. */
  public JsonObject toMembersJson() {
    return new JsonObject()
        .put("group_id", groupId)
        .put("add", invitees(add))
        .put("remove", new JsonArray(new ArrayList<>(remove)));
  }

  private static JsonArray invitees(List<Invitee> invitees) {
    JsonArray array = new JsonArray();
    invitees.forEach(invitee -> array.add(invitee.toJson()));
    return array;
  }

  private static String groupId(JsonObject body) throws MalformedBodyException {
    return Fields.uid(body, "group_id");
  }

  private static String title(JsonObject body) throws MalformedBodyException {
    if (body.getValue("title") == null) {
      return "";
    }
    String title = Fields.string(body, "title");
    if (title.length() > MAX_TITLE_CHARS) {
      throw new MalformedBodyException("title must be at most " + MAX_TITLE_CHARS + " chars");
    }
    return title;
  }

  private static List<Invitee> invitees(JsonObject body, String field, MessageLimits limits)
      throws MalformedBodyException {
    List<Invitee> invitees = new ArrayList<>();
    for (Object item : array(body, field)) {
      if (!(item instanceof JsonObject invitee)) {
        throw new MalformedBodyException("each entry of " + field + " must be {uid, appcode}");
      }
      invitees.add(
          new Invitee(
              Fields.uid(invitee, "uid"),
              MessageFields.configuredAppcode(invitee, "appcode", limits)));
    }
    return invitees;
  }

  private static JsonArray array(JsonObject body, String field) throws MalformedBodyException {
    if (!(body.getValue(field) instanceof JsonArray array)) {
      throw new MalformedBodyException(field + " must be an array");
    }
    if (array.size() > MAX_LISTED) {
      throw new MalformedBodyException(field + " must have at most " + MAX_LISTED + " entries");
    }
    return array;
  }
}
