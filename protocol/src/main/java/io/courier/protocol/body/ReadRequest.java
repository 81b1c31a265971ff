package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * READ (0x0033) of a two-person conversation: {@code {peer_uid, peer_appcode, upto}}, the
 * conversation with {@code peer_uid} read up to the msgid {@code upto}; {@code peer_appcode} says
 * which of the peer's user systems gets the read receipt. Fields are checked in that order. Of a
 * group (docs/groups.md): {@code {group_id, upto}}; then {@code peerUid} is null and {@code
 * peerAppcode} 0.
 */
public record ReadRequest(String peerUid, int peerAppcode, String groupId, long upto) {

  /** A READ of a two-person conversation. */
  public ReadRequest(String peerUid, int peerAppcode, long upto) {
    this(peerUid, peerAppcode, null, upto);
  }

  public static ReadRequest fromJson(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    if (body.getValue("group_id") != null) {
      return new ReadRequest(
          null, 0, Fields.uid(body, "group_id"), MessageFields.msgid(body, "upto"));
    }
    String peer = MessageFields.uid(body, "peer_uid");
    int appcode = MessageFields.configuredAppcode(body, "peer_appcode", limits);
    return new ReadRequest(peer, appcode, MessageFields.msgid(body, "upto"));
  }

  public JsonObject toJson() {
    JsonObject json =
        groupId != null
            ? new JsonObject().put("group_id", groupId)
            : new JsonObject().put("peer_uid", peerUid).put("peer_appcode", peerAppcode);
    return json.put("upto", Long.toString(upto));
  }
}
