package io.courier.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.ClientTls;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LinesTest {
  private static final GateOptions BOB =
      new GateOptions("127.0.0.1", 9000, "bob", 101, "T", ClientTls.plain());

  private static JsonObject push(String kind, String fromUid, int fromAppcode, String content) {
    return new JsonObject()
        .put("msgid", "132271570944012293")
        .put("kind", kind)
        .put("from_uid", fromUid)
        .put("from_appcode", fromAppcode)
        .put("to_uid", "bob")
        .put("to_appcode", 101)
        .put("msgtype", 1)
        .put("content", content)
        .put("senddate", 1767225600789L)
        .put("logid", "3f9c2a7d1e0b4c55");
  }

  @Test
  void c2cMessageShowsTheSenderWithItsAppcode() {
    assertEquals(
        "push msgid=132271570944012293 kind=c2c from=alice/101 msgtype=1 content=\"hi\"",
        Lines.message("push", push("c2c", "alice", 101, "hi")));
  }

  @Test
  void groupMessageShowsItsGroup() {
    assertEquals(
        "push msgid=132271570944012293 kind=c2g group=order-7 from=alice/101 msgtype=1"
            + " content=\"hi\"",
        Lines.message("push", push("c2g", "alice", 101, "hi").put("group_id", "order-7")));
  }

  @Test
  void s2cMessageShowsTheBusinessSenderOrADash() {
    assertEquals(
        "pulled msgid=132271570944012293 kind=s2c from=- msgtype=1 content=\"order 42\"",
        Lines.message("pulled", push("s2c", "", 0, "order 42")));
    assertEquals(
        "push msgid=132271570944012293 kind=s2c from=shop-1 msgtype=1 content=\"x\"",
        Lines.message("push", push("s2c", "shop-1", 0, "x")));
  }

  @Test
  void contentStaysOnOneLine() {
    String line = Lines.message("push", push("c2c", "alice", 101, "two\nlines \"quoted\" 中文"));
    assertEquals(
        "push msgid=132271570944012293 kind=c2c from=alice/101 msgtype=1"
            + " content=\"two\\nlines \\\"quoted\\\" 中文\"",
        line);
  }

  @Test
  void codesCarryTheirMeaningAndTheServersReason() {
    assertEquals(
        "code=403 (not allowed): to_appcode 999 is not a configured app",
        Lines.code(
            new JsonObject()
                .put("code", 403)
                .put("msg", "to_appcode 999 is not a configured app")));
    assertEquals(
        "code=503 (service unavailable, retry later)",
        Lines.code(new JsonObject().put("code", 503)));
    assertEquals(
        "code=4001 (replaced)",
        Lines.code(new JsonObject().put("code", 4001).put("msg", "replaced")));
    assertEquals("code=799 (unknown code)", Lines.code(new JsonObject().put("code", 799)));
  }

  @Test
  void loginAnswer() {
    assertEquals(
        Outcome.ok("logged in as bob/101 at 127.0.0.1:9000 (heartbeat 30 s)"),
        Lines.login(
            BOB, new JsonObject().put("code", 0).put("session", "s.1").put("heartbeat", 30)));
    assertEquals(
        Outcome.failed(
            "login as bob/101 at 127.0.0.1:9000 failed: code=401 (authentication failed): token expired"),
        Lines.login(BOB, new JsonObject().put("code", 401).put("msg", "token expired")));
  }

  @Test
  void c2cAnswer() {
    assertEquals(
        Outcome.ok("code=0 msgid=132271570944012293 senddate=1767225600789"),
        Lines.c2c(
            new JsonObject()
                .put("code", 0)
                .put("msgid", "132271570944012293")
                .put("senddate", 1767225600789L)));
    Outcome refused = Lines.c2c(new JsonObject().put("code", 413).put("msg", "content too large"));
    assertEquals(Outcome.FAILED, refused.exitCode());
    assertEquals("send failed: code=413 (too large): content too large", refused.line());
  }

  @Test
  void kickAndError() {
    assertEquals(
        "kicked: code=4003 (idle timeout)",
        Lines.kick(new JsonObject().put("code", 4003).put("msg", "idle timeout")));
    assertEquals(
        "error from the server: code=460 (unknown cmd)",
        Lines.error(new JsonObject().put("code", 460)));
  }
}
