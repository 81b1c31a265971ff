package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameCheck}: what reaches the bridge, in which form, and what is answered with which err.
 */
class BridgeFrameCheckTest {
  /** The check of one frame, the first of a new connection. */
  private interface Check {
    FrameCheck.Verdict check(Buffer frame);
  }

  /** A bridge without credentials. */
  private final Check open = frame -> FrameCheck.check(frame, identity(List.of()));

  /** A bridge with the shared secret {@code s3cret}. */
  private final Check guarded =
      frame -> FrameCheck.check(frame, identity(List.of(Business.shared("s3cret"))));

  private static Identity identity(List<Business> businesses) {
    return new Identity(new Businesses(businesses), null);
  }

  /** {@code json} as a complete frame, length prefix included. */
  private static Buffer body(JsonObject json) {
    return frame(json.encode());
  }

  private static Buffer frame(String body) {
    Buffer bytes = Buffer.buffer(body);
    return Buffer.buffer().appendInt(bytes.length()).appendBuffer(bytes);
  }

  /** The JSON body of the frame a verdict forwards. */
  private static JsonObject forwarded(FrameCheck.Verdict verdict) {
    assertTrue(verdict.passed(), () -> "refused: " + verdict.refusal());
    Buffer frame = verdict.frame();
    assertEquals(frame.length() - 4, frame.getInt(0));
    return new JsonObject(frame.getBuffer(4, frame.length()));
  }

  @Test
  void forwardsOnlyTheFieldsTheBridgeReads() {
    JsonObject in =
        new JsonObject()
            .put("type", "send")
            .put("address", "courier.s2c")
            .put("replyAddress", "r")
            .put("body", new JsonObject().put("to_uid", 1))
            .put("headers", new JsonObject().put("trace", "t"))
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
    assertFalse(
        forwarded(open.check(body(new JsonObject().put("type", "send").put("address", "a"))))
            .containsKey("body"));
  }

  @Test
  void stripsTheSecretAndDropsEmptyHeaders() {
    JsonObject in =
        new JsonObject()
            .put("type", "register")
            .put("address", "courier.receipts")
            .put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, "s3cret"));

    assertNull(forwarded(guarded.check(body(in))).getValue("headers"));
  }

  @Test
  void aPlainSendWithTheSecretIsForwardedWithExactlyTheSecretMemberCut() {
    String secret = "\"courier-secret\":\"s3cret\"";
    String[][] cases = {
      {"{" + secret + "}", "{}"},
      {"{" + secret + ",\"trace\":\"t\"}", "{\"trace\":\"t\"}"},
      {"{\"trace\":\"t\"," + secret + "}", "{\"trace\":\"t\"}"},
      {"{\"timeout\":5," + secret + ",\"b\":\"2\"}", "{\"timeout\":5,\"b\":\"2\"}"},
      {"{\"localOnly\":true , " + secret + " }", "{\"localOnly\":true }"},
      {"{ " + secret + " ,\n \"trace\" : \"t\" }", "{ \"trace\" : \"t\" }"},
      {"{\"courier-secret\":\"s3\\u0063ret\",\"trace\":\"\u00e9\"}", "{\"trace\":\"\u00e9\"}"},
    };
    for (String[] c : cases) {
      String prefix = "{\"type\":\"send\",\"address\":\"courier.s2c\",\"headers\":";
      String suffix = ",\"body\":{\"to_uid\":\"u\"}}";
      FrameCheck.Verdict verdict = guarded.check(frame(prefix + c[0] + suffix));
      assertEquals(frame(prefix + c[1] + suffix), verdict.frame(), c[0]);
      assertEquals("courier.s2c", verdict.address());
    }
  }

  @Test
  void refusesAMissingOrWrongSecretExceptForPing() {
    JsonObject send = new JsonObject().put("type", "register").put("address", "courier.receipts");
    assertEquals(GuardError.ACCESS_DENIED, guarded.check(body(send)).refusal().error());
    assertEquals(
        GuardError.ACCESS_DENIED,
        guarded
            .check(
                body(
                    send.copy()
                        .put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, "s3creT"))))
            .refusal()
            .error());
    assertEquals(
        GuardError.ACCESS_DENIED,
        guarded
            .check(
                body(send.copy().put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, 5))))
            .refusal()
            .error());
    assertTrue(
        guarded
            .check(
                body(
                    send.copy()
                        .put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, "s3cret"))))
            .passed());

    FrameCheck.Verdict ping = guarded.check(body(new JsonObject().put("type", "ping")));
    assertEquals(FrameType.PING, ping.type());
    assertEquals(Frames.PING, ping.frame());
  }

  @Test
  void refusesPublish() {
    assertEquals(
        GuardError.ACCESS_DENIED,
        open.check(body(new JsonObject().put("type", "publish").put("address", "courier.s2c")))
            .refusal()
            .error());
  }

  @Test
  void namesTheTypeAndAddress() {
    FrameCheck.Verdict verdict =
        open.check(body(new JsonObject().put("type", "unregister").put("address", "x")));
    assertEquals(FrameType.UNREGISTER, verdict.type());
    assertEquals("x", verdict.address());
    assertEquals(
        new JsonObject().put("type", "unregister").put("address", "x"), forwarded(verdict));
  }

  @Test
  void errFramesHaveTheBridgesShape() {
    FrameCheck.Verdict verdict =
        open.check(frame("{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}"));
    Buffer err = verdict.refusal().frame();
    assertEquals(
        new JsonObject().put("type", "err").put("message", "invalid_field").put("field", "headers"),
        new JsonObject(err.getBuffer(4, err.length())));
  }

  /** A plain send of {@link #PLAIN_BODY} to {@code address}, with a reply address. */
  private static String plainSend(String address) {
    return "{ \"type\" : \"send\", /* a comment */ \"address\":\""
        + address
        + "\",\"replyAddress\":\"r\","
        + "\"headers\":{\"trace\":\"t\",\"timeout\":3000,\"localOnly\":true},\"body\":"
        + PLAIN_BODY
        + "}";
  }

  private static final String PLAIN_BODY =
      "{\"to_uid\":\"\u00e9\\u00e9\",\"to_appcode\":101,\"n\":[1,2.5,null,{\"d\":9999999999,\"d\":1e400}],"
          + "\"big\":123456789012345678901234567890,\"t\":true,\"to_uid\":\"last\"}";

  @Test
  void aPlainSendIsForwardedAsReceived() {
    Buffer in = frame(plainSend("courier.presence"));

    FrameCheck.Verdict verdict = open.check(in);

    assertSame(in, verdict.frame());
    assertNull(verdict.request());
    assertEquals(FrameType.SEND, verdict.type());
    assertEquals("courier.presence", verdict.address());
  }

  @Test
  void aPushRequestIsServedByTheGuardWithTheTreeTheBridgeWouldDecode() {
    for (String address : List.of("courier.s2c", "courier.s2c.multi")) {
      FrameCheck.Verdict verdict = open.check(frame(plainSend(address)));

      assertTrue(verdict.passed());
      assertNull(verdict.frame());
      assertEquals(FrameType.SEND, verdict.type());
      assertEquals(address, verdict.address());
      assertEquals(101, verdict.toAppcode());
      DirectSend.Request request = verdict.request();
      assertEquals(address, request.address());
      assertEquals("r", request.replyAddress());
      assertEquals(
          List.of("trace", "timeout", "localOnly"), List.copyOf(request.headers().keySet()));
      assertEquals("t", request.headers().get("trace"));
      assertEquals(3000L, request.headers().get("timeout"));
      assertEquals(true, request.headers().get("localOnly"));
      // what the stock bridge's parser makes of the frame: the whole body decoded from a String
      Object stock = new JsonObject(plainSend(address)).getValue("body");
      assertSameTree(((JsonObject) stock).getMap(), request.body().getMap());
    }
  }

  @Test
  void aPushRequestWithTheSecretDropsItFromTheHeaders() {
    FrameCheck.Verdict verdict =
        guarded.check(
            frame(
                "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"r\","
                    + "\"headers\":{\"courier-secret\":\"s3cret\"},\"body\":{\"to_uid\":\"u\"}}"));

    assertTrue(verdict.request().headers().isEmpty());
    assertEquals(new JsonObject().put("to_uid", "u"), verdict.request().body());
  }

  @Test
  void aPushWithoutReplyAddressOrWithItsBodyFirstGoesToTheBridge() {
    String[] bodies = {
      "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":{\"to_uid\":\"u\"}}",
      "{\"type\":\"send\",\"body\":{\"to_uid\":\"u\"},\"address\":\"courier.s2c\",\"replyAddress\":\"r\"}",
      "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"r\",\"body\":[1]}",
      "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"r\"}",
    };
    for (String body : bodies) {
      Buffer in = frame(body);
      FrameCheck.Verdict verdict = open.check(in);
      assertNull(verdict.request(), body);
      assertSame(in, verdict.frame(), body);
    }
  }

  /** Equal, and of the same classes all the way down (an Integer is not a Long here). */
  private static void assertSameTree(Object expected, Object actual) {
    if (expected == null) {
      assertNull(actual);
      return;
    }
    assertEquals(expected.getClass(), actual.getClass(), () -> expected + " / " + actual);
    if (expected instanceof java.util.Map<?, ?> map) {
      java.util.Map<?, ?> other = (java.util.Map<?, ?>) actual;
      assertEquals(List.copyOf(map.keySet()), List.copyOf(other.keySet()));
      map.forEach((key, value) -> assertSameTree(value, other.get(key)));
    } else if (expected instanceof List<?> list) {
      List<?> other = (List<?>) actual;
      assertEquals(list.size(), other.size());
      for (int i = 0; i < list.size(); i++) {
        assertSameTree(list.get(i), other.get(i));
      }
    } else {
      assertEquals(expected, actual);
    }
  }

  @Test
  void whatThePlainPathCannotVouchForIsReEncoded() {
    String[] bodies = {
      "{\"type\":\"send\",\"address\":\"a\",\"extra\":1}",
      "{\"type\":\"send\",\"address\":\"a\",\"address\":\"b\"}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"n\":5}}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"t\":\"1\",\"t\":\"2\"}}",
      "{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":null}",
      "{\"type\":\"register\",\"address\":\"courier.receipts\"}",
    };
    for (String body : bodies) {
      Buffer in = frame(body);
      FrameCheck.Verdict verdict = open.check(in);
      assertTrue(verdict.passed(), body);
      assertNotSame(in, verdict.frame(), body);
    }
    assertFalse(forwarded(open.check(frame(bodies[0]))).containsKey("extra"));
    assertEquals(
        "5", forwarded(open.check(frame(bodies[2]))).getJsonObject("headers").getValue("n"));
    // a duplicate name is read last-wins, as the bridge reads it, and forwarded without the
    // duplicate
    assertEquals(
        new JsonObject().put("type", "send").put("address", "b"),
        forwarded(open.check(frame("{\"type\":\"send\",\"address\":\"a\",\"address\":\"b\"}"))));
    assertEquals(
        FrameType.PING,
        open.check(frame("{\"type\":\"send\",\"address\":\"a\",\"type\":\"ping\"}")).type());
  }

  @Test
  void whatTheBridgeCouldNotParseIsInvalidJsonOnThePlainPathToo() {
    Buffer badUtf8InBody =
        Buffer.buffer()
            .appendString("{\"type\":\"send\",\"address\":\"a\",\"body\":\"")
            .appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28})
            .appendString("\"}");
    String[] bodies = {
      "{\"type\":\"send\",\"address\":\"a\"} {}",
      "{\"type\":\"send\",\"address\":\"a\",\"body\":{\"x\":}}",
      "{\"type\":\"send\",\"address\":\"a\",\"body\":[1,2}",
      "{\"type\":\"send\",\"address\":\"a\"",
    };
    assertEquals(
        GuardError.INVALID_JSON,
        open.check(Buffer.buffer().appendInt(badUtf8InBody.length()).appendBuffer(badUtf8InBody))
            .refusal()
            .error());
    for (String body : bodies) {
      assertEquals(GuardError.INVALID_JSON, open.check(frame(body)).refusal().error(), body);
    }
  }

  @Test
  void withASecretNoFrameTakesThePlainPath() {
    Buffer plain = frame("{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":{}}");
    assertEquals(GuardError.ACCESS_DENIED, guarded.check(plain).refusal().error());

    Buffer withSecret =
        body(
            new JsonObject()
                .put("type", "send")
                .put("address", "courier.s2c")
                .put(
                    "headers",
                    new JsonObject().put(FrameCheck.SECRET_HEADER, "s3cret").put("trace", "t"))
                .put("body", new JsonObject()));
    JsonObject out = forwarded(guarded.check(withSecret));
    assertEquals(new JsonObject().put("trace", "t"), out.getJsonObject("headers"));
  }

  /** The body of the err frame that a refused {@code verdict} answers with. */
  private static JsonObject err(FrameCheck.Verdict verdict) {
    assertFalse(verdict.passed(), () -> "forwarded: " + verdict.frame().toString());
    Buffer err = verdict.refusal().frame();
    return new JsonObject(err.getBuffer(4, err.length()));
  }

  private static JsonObject unpairedSurrogate(String field) {
    JsonObject err = new JsonObject().put("type", "err").put("message", "unpaired_surrogate");
    return field == null ? err : err.put("field", field);
  }

  @Test
  void refusesAnUnpairedSurrogateInAnyStringAndNamesWhere() {
    String send = "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"r\",";
    String[][] cases = {
      {send + "\"body\":{\"to_uid\":\"u\",\"content\":\"\\ud800\"}}", "body.content"},
      {send + "\"body\":{\"content\":\"a\\udc00\"}}", "body.content"},
      {send + "\"body\":{\"content\":\"\\ud83d\\u0041\"}}", "body.content"},
      {send + "\"body\":{\"content\":\"\\ud83d\\ud83d\\ude00\"}}", "body.content"},
      {send + "\"body\":{\"content\":\"\\ude00\\ud83d\"}}", "body.content"},
      {send + "\"body\":{\"list\":[\"ok\",{\"x\":\"\\uDBFF\"}]}}", "body.list[1].x"},
      {send + "\"body\":{\"o\":{\"\\ud800\":1}}}", "body.o"},
      {send + "\"body\":\"\\ud800\"}", "body"},
      {send + "\"headers\":{\"trace\":\"\\ud800\"},\"body\":{}}", "headers.trace"},
      {send + "\"headers\":{\"\\ud800\":\"x\"},\"body\":{}}", "headers"},
      {"{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":\"r\\ud800\"}", "replyAddress"},
      {
        "{\"type\":\"send\",\"address\":\"a\",\"failureCode\":1,\"message\":\"\\udc00\"}", "message"
      },
      {"{\"type\":\"send\",\"address\":\"\\ud800\"}", "address"},
      {"{\"type\":\"register\",\"address\":\"courier.c2s.\\ud800\"}", "address"},
      {"{\"type\":\"send\",\"address\":\"a\",\"\\ud800\":1}", null},
    };
    for (String[] c : cases) {
      assertEquals(unpairedSurrogate(c[1]), err(open.check(frame(c[0]))), c[0]);
    }
  }

  @Test
  void refusesAUtf8EncodedSurrogateThatTheBridgesParserWouldDecode() {
    Buffer body =
        Buffer.buffer()
            .appendString("{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":{\"content\":\"")
            .appendBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})
            .appendString("\"}}");

    FrameCheck.Verdict verdict =
        open.check(Buffer.buffer().appendInt(body.length()).appendBuffer(body));

    assertEquals(unpairedSurrogate("body.content"), err(verdict));
  }

  @Test
  void pairedSurrogatesPassAsReceived() {
    for (String address : List.of("courier.presence", "courier.s2c")) {
      String json =
          "{\"type\":\"send\",\"address\":\""
              + address
              + "\",\"replyAddress\":\"r\\ud83d\\ude00\","
              + "\"headers\":{\"t\\uD83D\\uDE00\":\"\\ud83d\\ude00\"},"
              + "\"body\":{\"\\ud83d\\ude00\":[\"\\ud83d\\ude00\",\"\ud83d\ude00\"]}}";
      Buffer in = frame(json);

      FrameCheck.Verdict verdict = open.check(in);

      if (address.equals("courier.presence")) {
        assertSame(in, verdict.frame());
      } else {
        assertEquals("r\ud83d\ude00", verdict.request().replyAddress());
        assertEquals(new JsonObject(json).getJsonObject("body"), verdict.request().body());
      }
    }
  }

  @Test
  void anUnpairedSurrogateIsReportedOnlyToWhoHasTheSecret() {
    String send = "{\"type\":\"send\",\"address\":\"courier.s2c\",";
    String body = "\"body\":{\"content\":\"\\ud800\"}}";

    assertEquals(GuardError.ACCESS_DENIED, guarded.check(frame(send + body)).refusal().error());
    String withSecret = send + "\"headers\":{\"courier-secret\":\"s3cret\"}," + body;
    assertEquals(unpairedSurrogate("body.content"), err(guarded.check(frame(withSecret))));
  }

  @Test
  void theAppcodeOfAPushIsReadOnTheBodysTopLevelOnly() {
    String send = "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":";
    Object[][] cases = {
      {"{\"to_uid\":\"u\",\"to_appcode\":101}", 101},
      {"{\"to_appcode\":\"101\"}", null},
      {"{\"to_appcode\":101.0}", null},
      {"{\"to_appcode\":4294967397}", null},
      {"{\"x\":{\"to_appcode\":101}}", null},
      {"[101]", null},
      {"{}", null},
    };
    for (Object[] c : cases) {
      Buffer plain = frame(send + c[0] + "}");
      FrameCheck.Verdict verdict = open.check(plain);
      assertSame(plain, verdict.frame(), (String) c[0]);
      assertEquals(c[1], verdict.toAppcode(), (String) c[0]);
      FrameCheck.Verdict tree = open.check(frame(send + c[0] + ",\"extra\":1}"));
      assertNotSame(plain, tree.frame());
      assertEquals(c[1], tree.toAppcode(), "full check of " + c[0]);
    }
  }

  /** The bridge reads a duplicate name last-wins, and so does the appcode check. */
  @Test
  void aTwiceNamedAppcodeIsTheLastOneAsTheBridgeReadsIt() {
    FrameCheck.Verdict verdict =
        open.check(
            frame(
                "{\"type\":\"send\",\"address\":\"courier.s2c\","
                    + "\"body\":{\"to_appcode\":101,\"to_appcode\":201}}"));
    assertEquals(201, verdict.toAppcode());
    assertEquals(new JsonObject().put("to_appcode", 201), forwarded(verdict).getJsonObject("body"));
  }

  @Test
  void refusalsNameTheirRule() {
    assertEquals(
        new JsonObject().put("type", "err").put("message", "access_denied").put("rule", "api"),
        err(
            open.check(
                body(new JsonObject().put("type", "publish").put("address", "courier.s2c")))));
    assertEquals(
        new JsonObject()
            .put("type", "err")
            .put("message", "access_denied")
            .put("rule", "credentials"),
        err(guarded.check(frame("{\"type\":\"send\",\"address\":\"courier.s2c\"}"))));
  }

  @Test
  void aFrameCarriesTheBusinessItActsFor() {
    Business dispatch = Business.shared("s3cret");
    Identity identity = new Identity(new Businesses(List.of(dispatch)), null);
    assertNull(
        FrameCheck.check(body(new JsonObject().put("type", "ping")), identity).business(),
        "a ping before any credential acts for nobody");
    String send =
        "{\"type\":\"send\",\"address\":\"courier.s2c\","
            + "\"headers\":{\"courier-secret\":\"s3cret\"},\"body\":{}}";
    assertSame(dispatch, FrameCheck.check(frame(send), identity).business());
    assertSame(
        dispatch,
        FrameCheck.check(body(new JsonObject().put("type", "ping")), identity).business());
  }
}
