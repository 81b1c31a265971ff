package io.courier.testkit.fakes;

import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Valid request bodies with every required field, for a test to change the one it is about ({@code
 * put}, {@code remove}).
 */
public final class RequestBodies {
  /** The msgtype of the bodies made here. */
  public static final int MSGTYPE = 7;

  private RequestBodies() {}

  /** The logged-in session of {@code (uid, appcode)} on the sender's gate. */
  public static SessionRef sender(String uid, int appcode) {
    return new SessionRef(uid, appcode, "node-sender", uid + "@" + appcode, FixedClock.DEFAULT_NOW);
  }

  /** {@code body} as {@code sender}'s gate hands it to routing. */
  public static SessionRequest from(SessionRef sender, JsonObject body) {
    return new SessionRequest(sender, body);
  }

  /** A C2C body (protocol.md 9.5). */
  public static JsonObject c2c(String toUid, int toAppcode, String cmid, String content) {
    return new JsonObject()
        .put("to_uid", toUid)
        .put("to_appcode", toAppcode)
        .put("cmid", cmid)
        .put("msgtype", MSGTYPE)
        .put("content", content);
  }

  /** A C2S body (protocol.md 9.4). */
  public static JsonObject c2s(int msgtype, String content) {
    return new JsonObject().put("msgtype", msgtype).put("content", content);
  }

  /** A {@code courier.s2c} body without {@code qos}: qos 1, the default. */
  public static JsonObject s2c(String toUid, int toAppcode, String content) {
    return new JsonObject()
        .put("to_uid", toUid)
        .put("to_appcode", toAppcode)
        .put("msgtype", MSGTYPE)
        .put("content", content);
  }

  /** A {@code courier.s2c.multi} body without {@code qos}. */
  public static JsonObject s2cMulti(List<String> toUids, int toAppcode, String content) {
    return new JsonObject()
        .put("to_uids", new JsonArray(List.copyOf(toUids)))
        .put("to_appcode", toAppcode)
        .put("msgtype", MSGTYPE)
        .put("content", content);
  }
}
