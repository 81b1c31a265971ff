package io.courier.protocol.body;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * A client's C2S request (0x0010, protocol.md 9.4): {@code {msgtype, content, cmid?, qos?,
 * logid?}}.
 *
 * @param cmid the client's id of the message, or null: a resend with the same cmid carries the
 *     first msgid
 * @param qos 0 (today's behaviour: answered 503 or 504 when no consumer accepts), 1 (a message no
 *     consumer accepted is stored and handed to the first consumer that appears), or {@link
 *     #NO_QOS} when absent, which is 0
 * @param logid as given, or null
 */
public record C2sRequest(int msgtype, String content, String cmid, int qos, String logid) {

  /** The {@code qos} of a request without the field: handled as 0. */
  public static final int NO_QOS = -1;

  /**
   * Reads and checks the fields; {@code content} is checked against {@code limits}. Without {@code
   * cmid} and {@code qos} this reads what a C2S always read, so the GPS path stays as it was.
   */
  public static C2sRequest fromJson(JsonObject body, MessageLimits limits)
      throws MalformedBodyException {
    int msgtype = MessageFields.msgtype(body);
    String content = MessageFields.content(body, limits);
    String cmid = body.getValue("cmid") == null ? null : MessageFields.cmid(body);
    int qos = body.getValue("qos") == null ? NO_QOS : MessageFields.qos(body);
    return new C2sRequest(msgtype, content, cmid, qos, MessageFields.givenLogid(body));
  }

  /**
   * Whether the request asks for more than today's hand-over: it carries a cmid or a qos (even qos
   * 0, which then gets a status in its answer).
   */
  public boolean tracked() {
    return cmid != null || qos >= 0;
  }
}
