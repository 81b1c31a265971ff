package io.courier.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.ClientTls;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class S2cRepliesTest {
  private static final S2cOptions OPEN =
      new S2cOptions(
          "bob", 101, 1, "order 42", null, null, "127.0.0.1", 7000, null, 10, ClientTls.plain());
  private static final S2cOptions WITH_SECRET =
      new S2cOptions(
          "bob",
          101,
          1,
          "order 42",
          0,
          "shop-1",
          "127.0.0.1",
          7000,
          "s3cret",
          10,
          ClientTls.plain());

  private static JsonObject reply(JsonObject body) {
    return new JsonObject()
        .put("type", "message")
        .put("address", S2cCommand.REPLY_ADDRESS)
        .put("headers", new JsonObject())
        .put("body", body)
        .put("send", true);
  }

  @Test
  void accepted() {
    assertEquals(
        Outcome.ok("code=0 msgid=132271570944012293 status=stored"),
        S2cReplies.outcome(
            reply(
                new JsonObject()
                    .put("code", 0)
                    .put("msgid", "132271570944012293")
                    .put("status", "stored")),
            OPEN));
  }

  @Test
  void refusedByTheNode() {
    assertEquals(
        Outcome.failed(
            "s2c refused: code=403 (not allowed): to_appcode 999 is not a configured app"),
        S2cReplies.outcome(
            reply(
                new JsonObject()
                    .put("code", 403)
                    .put("msg", "to_appcode 999 is not a configured app")),
            OPEN));
  }

  @Test
  void eventBusFailures() {
    JsonObject noHandlers =
        new JsonObject()
            .put("type", "err")
            .put("address", S2cCommand.REPLY_ADDRESS)
            .put("failureCode", -1)
            .put("failureType", "NO_HANDLERS")
            .put("message", "No handlers for address courier.s2c");
    assertEquals(
        Outcome.failed(
            "no routing role answers courier.s2c (NO_HANDLERS): the node is starting, stopping or"
                + " down; nothing was sent"),
        S2cReplies.outcome(noHandlers, OPEN));
    JsonObject timeout = noHandlers.copy().put("failureType", "TIMEOUT");
    assertEquals(
        Outcome.failed(
            "no reply within 10 s (TIMEOUT): the message may or may not have been accepted"),
        S2cReplies.outcome(timeout, OPEN));
  }

  @Test
  void accessDeniedSaysWhatToDoAboutTheSecret() {
    JsonObject denied = new JsonObject().put("type", "err").put("message", "access_denied");
    assertEquals(
        Outcome.failed(
            "the bridge refused the request: access_denied (the node has a bridge secret: pass"
                + " --secret or set COURIER_BRIDGE_SECRET)"),
        S2cReplies.outcome(denied, OPEN));
    assertEquals(
        Outcome.failed("the bridge refused the request: access_denied (wrong --secret?)"),
        S2cReplies.outcome(denied, WITH_SECRET));
  }

  @Test
  void otherRefusalsNameTheField() {
    assertEquals(
        Outcome.failed("the bridge refused the request: invalid_field (headers.timeout)"),
        S2cReplies.outcome(
            new JsonObject()
                .put("type", "err")
                .put("message", "invalid_field")
                .put("field", "headers.timeout"),
            OPEN));
  }

  @Test
  void bodyCarriesQosAndSenderOnlyWhenGiven() {
    assertEquals(
        new JsonObject()
            .put("to_uid", "bob")
            .put("to_appcode", 101)
            .put("msgtype", 1)
            .put("content", "order 42"),
        S2cCommand.body(OPEN));
    assertEquals(
        new JsonObject()
            .put("to_uid", "bob")
            .put("to_appcode", 101)
            .put("msgtype", 1)
            .put("content", "order 42")
            .put("qos", 0)
            .put("from_uid", "shop-1"),
        S2cCommand.body(WITH_SECRET));
  }
}
