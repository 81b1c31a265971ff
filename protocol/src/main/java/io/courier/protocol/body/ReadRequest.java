package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * READ (0x0033) of a two-person conversation: {@code {peer_uid, peer_appcode, upto}}, the
 * conversation with {@code peer_uid} read up to the msgid {@code upto}; {@code peer_appcode} says
 * which of the peer's user systems gets the read receipt. Fields are checked in that order.
 */
public record ReadRequest(String peerUid, int peerAppcode, long upto) {

  public static ReadRequest fromJson(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    String peer = MessageFields.uid(body, "peer_uid");
    int appcode = MessageFields.configuredAppcode(body, "peer_appcode", limits);
    return new ReadRequest(peer, appcode, MessageFields.msgid(body, "upto"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("peer_uid", peerUid)
        .put("peer_appcode", peerAppcode)
        .put("upto", Long.toString(upto));
  }
}
