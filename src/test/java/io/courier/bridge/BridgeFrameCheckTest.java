package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@link FrameCheck}: what reaches the bridge, in which form, and what is answered with which err. */
class BridgeFrameCheckTest {
  private final FrameCheck open = new FrameCheck(null);
  private final FrameCheck guarded = new FrameCheck("s3cret");

  private static Buffer body(JsonObject json) {
    return json.toBuffer();
  }

  /** The JSON body of the frame a verdict forwards. */
  private static JsonObject forwarded(FrameCheck.Verdict verdict) {
    assertTrue(verdict.passed(), () -> "refused: " + verdict.error());
    Buffer frame = verdict.frame();
    assertEquals(frame.length() - 4, frame.getInt(0));
    return new JsonObject(frame.getBuffer(4, frame.length()));
  }

  @Test
  void forwardsOnlyTheFieldsTheBridgeReads() {
    JsonObject in = new JsonObject().put("type", "send").put("address", "courier.s2c").put("replyAddress", "r")
      .put("body", new JsonObject().put("to_uid", 1)).put("headers", new JsonObject().put("trace", "t"))
      .put("extra", 1);

    JsonObject out = forwarded(open.check(body(in)));

    JsonObject expected = in.copy();
    expected.remove("extra");
    assertEquals(expected, out);
  }

  @Test
  void aNullBodyIsKeptAndAMissingOneStaysMissing() {
    JsonObject withNull = new JsonObject().put("type", "send").put("address", "a").putNull("body");
    assertTrue(forwarded(open.check(body(withNull))).containsKey("body"));
    assertFalse(forwarded(open.check(body(new JsonObject().put("type", "send").put("address", "a")))).containsKey("body"));
  }

  @Test
  void stripsTheSecretAndDropsEmptyHeaders() {
    JsonObject in = new JsonObject().put("type", "send").put("address", "a")
      .put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, "s3cret"));

    assertNull(forwarded(guarded.check(body(in))).getValue("headers"));
  }

  @Test
  void refusesAMissingOrWrongSecretExceptForPing() {
    JsonObject send = new JsonObject().put("type", "register").put("address", "courier.receipts");
    assertEquals(GuardError.ACCESS_DENIED, guarded.check(body(send)).error());
    assertEquals(GuardError.ACCESS_DENIED, guarded.check(body(send.copy().put("headers",
      new JsonObject().put(FrameCheck.SECRET_HEADER, "s3creT")))).error());
    assertEquals(GuardError.ACCESS_DENIED, guarded.check(body(send.copy().put("headers",
      new JsonObject().put(FrameCheck.SECRET_HEADER, 5)))).error());
    assertTrue(guarded.check(body(send.copy().put("headers",
      new JsonObject().put(FrameCheck.SECRET_HEADER, "s3cret")))).passed());

    FrameCheck.Verdict ping = guarded.check(body(new JsonObject().put("type", "ping")));
    assertEquals(FrameType.PING, ping.type());
    assertEquals(Frames.PING, ping.frame());
  }

  @Test
  void refusesPublish() {
    assertEquals(GuardError.ACCESS_DENIED,
      open.check(body(new JsonObject().put("type", "publish").put("address", "courier.s2c"))).error());
  }

  @Test
  void namesTheTypeAndAddress() {
    FrameCheck.Verdict verdict = open.check(body(new JsonObject().put("type", "unregister").put("address", "x")));
    assertEquals(FrameType.UNREGISTER, verdict.type());
    assertEquals("x", verdict.address());
    assertEquals(new JsonObject().put("type", "unregister").put("address", "x"), forwarded(verdict));
  }

  @Test
  void errFramesHaveTheBridgesShape() {
    FrameCheck.Verdict verdict = open.check(Buffer.buffer("{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}"));
    Buffer err = verdict.errFrame();
    assertEquals(new JsonObject().put("type", "err").put("message", "invalid_field").put("field", "headers"),
      new JsonObject(err.getBuffer(4, err.length())));
  }
}
