package io.courier.routing;

import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.protocol.Code;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads and checks the message fields of C2C, C2S and S2C bodies; a refusal carries its protocol
 * code.
 */
final class MessageFields {
  static final int MAX_MSGTYPE = 65535;
  static final int MAX_CMID_LENGTH = 64;

  private MessageFields() {}

  static int msgtype(JsonObject body) {
    long msgtype = read(() -> Fields.integer(body, "msgtype"));
    if (msgtype < 0 || msgtype > MAX_MSGTYPE) {
      throw badRequest("msgtype must be an integer 0-" + MAX_MSGTYPE);
    }
    return (int) msgtype;
  }

  /** The content; 413 when its UTF-8 form exceeds {@code maxBytes}. */
  static String content(JsonObject body, int maxBytes) {
    String content = read(() -> Fields.string(body, "content"));
    if (content.length() > maxBytes / 3
        && content.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new CourierException(Code.TOO_LARGE, "content exceeds " + maxBytes + " bytes");
    }
    return content;
  }

  static String uid(JsonObject body, String field) {
    return read(() -> Fields.uid(body, field));
  }

  /**
   * A receiver's appcode: it must be a configured app, since no one else could ever log in to read
   * it.
   */
  static int toAppcode(JsonObject body, Apps apps) {
    int appcode = read(() -> Fields.appcode(body, "to_appcode"));
    if (!apps.contains(appcode)) {
      throw new CourierException(
          Code.FORBIDDEN, "to_appcode " + appcode + " is not a configured app");
    }
    return appcode;
  }

  static String cmid(JsonObject body) {
    String cmid = read(() -> Fields.string(body, "cmid"));
    if (cmid.isEmpty() || cmid.length() > MAX_CMID_LENGTH) {
      throw badRequest("cmid must be 1-" + MAX_CMID_LENGTH + " chars");
    }
    return cmid;
  }

  /** qos 1 (the default) or 0. */
  static int qos(JsonObject body) {
    if (body.getValue("qos") == null) {
      return 1;
    }
    long qos = read(() -> Fields.integer(body, "qos"));
    if (qos != 0 && qos != 1) {
      throw badRequest("qos must be 0 or 1");
    }
    return (int) qos;
  }

  static CourierException badRequest(String msg) {
    return new CourierException(Code.BAD_REQUEST, msg);
  }

  private interface Read<T> {
    T get() throws MalformedBodyException;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.get();
    } catch (MalformedBodyException e) {
      throw badRequest(e.getMessage());
    }
  }
}
