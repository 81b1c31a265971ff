package io.courier.client.cli;

import io.courier.protocol.Code;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The text the CLI prints for what the server says. Each message is one line of {@code key=value}
 * pairs, easy to read and to {@code grep}; the content is a JSON string so that a newline or a
 * quote inside it cannot break the line.
 */
final class Lines {
  private Lines() {}

  /**
   * A message line: {@code <source> msgid=ID kind=c2c from=alice/101 msgtype=1 content="hi"}, where
   * {@code source} says how it came ({@code push} or {@code pulled}). An S2C message shows the
   * business's {@code from_uid}, or {@code -} when it named none; a group message its group after
   * its kind ({@code kind=c2g group=order-7}).
   */
  static String message(String source, JsonObject push) {
    String group = push.getValue("group_id") instanceof String id ? " group=" + id : "";
    return source
        + " msgid="
        + push.getString("msgid")
        + " kind="
        + push.getString("kind")
        + group
        + " from="
        + sender(push)
        + " msgtype="
        + push.getValue("msgtype")
        + " content="
        + Json.encode(push.getString("content", ""));
  }

  private static String sender(JsonObject push) {
    String uid = push.getString("from_uid", "");
    int appcode = push.getInteger("from_appcode", 0);
    if (uid.isEmpty()) {
      return "-";
    }
    return appcode == 0 ? uid : uid + "/" + appcode;
  }

  /**
   * A code with its meaning from the protocol, and the server's own {@code msg} when it gave one:
   * {@code code=403 (not allowed): to_appcode 999 is not a configured app}. A {@code msg} that only
   * repeats the meaning (a KICK's "replaced") is left out.
   */
  static String code(JsonObject answer) {
    int value = answer.getInteger("code", Code.INTERNAL.value());
    String meaning = meaning(value);
    String msg = answer.getString("msg");
    boolean addsSomething = msg != null && !msg.isEmpty() && !msg.equals(meaning);
    return "code=" + value + " (" + meaning + ")" + (addsSomething ? ": " + msg : "");
  }

  /**
   * The protocol's reason for {@code value}, or "unknown code" for one this client does not know.
   */
  static String meaning(int value) {
    Code code = Code.fromValue(value);
    return code.value() == value ? code.reason() : "unknown code";
  }

  /** The LOGIN answer as a status line, or the reason it failed. */
  static Outcome login(GateOptions gate, JsonObject answer) {
    if (answer.getInteger("code", -1) == Code.OK.value()) {
      return Outcome.ok(
          "logged in as "
              + gate.describe()
              + " (heartbeat "
              + answer.getValue("heartbeat")
              + " s)");
    }
    return Outcome.failed("login as " + gate.describe() + " failed: " + code(answer));
  }

  /** The C2C answer: {@code code=0 msgid=ID senddate=MILLIS}, or the reason it failed. */
  static Outcome c2c(JsonObject answer) {
    if (answer.getInteger("code", -1) == Code.OK.value()) {
      return Outcome.ok(
          "code=0 msgid=" + answer.getString("msgid") + " senddate=" + answer.getValue("senddate"));
    }
    return Outcome.failed("send failed: " + code(answer));
  }

  /** A KICK: {@code kicked: code=4001 (replaced): replaced}. */
  static String kick(JsonObject body) {
    return "kicked: " + code(body);
  }

  /** An ERROR frame the server sent on its own. */
  static String error(JsonObject body) {
    return "error from the server: " + code(body);
  }
}
