package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A business's push request (event-bus.md 2 and 3): {@code courier.s2c} {@code {to_uid, to_appcode,
 * msgtype, content, qos?, logid?, from_uid?}}, or {@code courier.s2c.multi} with {@code to_uids}
 * instead of {@code to_uid}.
 *
 * @param toUids the receivers: one for {@code courier.s2c}; for {@code courier.s2c.multi} the
 *     distinct uids of {@code to_uids} in the order given
 * @param multi true for the {@code courier.s2c.multi} form
 * @param qos 1 (durable, the default) or 0 (best effort)
 * @param fromUid the sender shown to the client, or null for none
 * @param logid the logid as given, or null; the platform keeps it only when it is valid
 */
public record S2cRequest(
    List<String> toUids,
    boolean multi,
    int toAppcode,
    int msgtype,
    String content,
    int qos,
    String fromUid,
    String logid) {

  /** Most entries of {@code to_uids}, counted as sent (before duplicates are removed). */
  public static final int MAX_RECEIVERS = 1000;

  public S2cRequest {
    toUids = List.copyOf(toUids);
    if (!multi && toUids.size() != 1) {
      throw new IllegalArgumentException("courier.s2c names one receiver, got " + toUids.size());
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (multi) {
      json.put("to_uids", new JsonArray(new ArrayList<>(toUids)));
    } else {
      json.put("to_uid", toUids.get(0));
    }
    json.put("to_appcode", toAppcode)
        .put("msgtype", msgtype)
        .put("content", content)
        .put("qos", qos);
    if (fromUid != null) {
      json.put("from_uid", fromUid);
    }
    if (logid != null) {
      json.put("logid", logid);
    }
    return json;
  }

  /**
   * Reads and checks a {@code courier.s2c} body, field by field in the documented order ({@code
   * to_uid}, {@code to_appcode}, {@code msgtype}, {@code content}, {@code qos}, {@code from_uid}):
   * the first bad field decides the code.
   */
  public static S2cRequest fromJson(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    return rest(body, List.of(Fields.uid(body, "to_uid")), false, limits);
  }

  /** Reads and checks a {@code courier.s2c.multi} body: {@code to_uids} first, then as one. */
  public static S2cRequest fromMultiJson(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    Object value = body.getValue("to_uids");
    if (!(value instanceof JsonArray)
        || ((JsonArray) value).isEmpty()
        || ((JsonArray) value).size() > MAX_RECEIVERS) {
      throw new MalformedBodyException("to_uids must be an array of 1-" + MAX_RECEIVERS + " uids");
    }
    Set<String> toUids = new LinkedHashSet<>();
    for (Object uid : (JsonArray) value) {
      if (!(uid instanceof String) || !Fields.isUid((String) uid)) {
        throw new MalformedBodyException("to_uids must hold uids: 1-64 chars of [A-Za-z0-9_.:@-]");
      }
      toUids.add((String) uid);
    }
    return rest(body, new ArrayList<>(toUids), true, limits);
  }

  private static S2cRequest rest(
      JsonObject body, List<String> toUids, boolean multi, MessageLimits limits)
      throws MalformedBodyException {
    int toAppcode = MessageFields.toAppcode(body, limits);
    int msgtype = MessageFields.msgtype(body);
    String content = MessageFields.content(body, limits);
    int qos = MessageFields.qos(body);
    Object from = body.getValue("from_uid");
    String fromUid = from == null ? null : Fields.uid("from_uid", from);
    return new S2cRequest(
        toUids, multi, toAppcode, msgtype, content, qos, fromUid, MessageFields.givenLogid(body));
  }
}
