package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's bridge framing gives what Jackson gives, on its direct path and on the way around it.
 */
class BridgeCodecTest {

  @Test
  void aSendFrameIsTheLengthThenTheJsonOfTheRequest() {
    JsonObject body =
        new JsonObject()
            .put("to_uid", "s2c-7")
            .put("to_appcode", 201)
            .put("msgtype", 9)
            .put("content", "ts=123;xxx")
            .put("qos", 0);
    Buffer frame = new BridgeCodec().send("courier.s2c", "r-1", body);
    String json =
        "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"r-1\",\"body\":"
            + "{\"to_uid\":\"s2c-7\",\"to_appcode\":201,\"msgtype\":9,\"content\":\"ts=123;xxx\",\"qos\":0}}";
    assertEquals(json.length(), frame.getInt(0));
    assertEquals(json, frame.getString(4, frame.length()));
  }

  @Test
  void encodesWhatJacksonEncodes() {
    BridgeCodec codec = new BridgeCodec();
    for (JsonObject json : samples()) {
      Buffer frame = codec.frame(json);
      assertEquals(frame.length() - 4, frame.getInt(0));
      assertEquals(json, new JsonObject(frame.getBuffer(4, frame.length())), json.encode());
      Buffer send = codec.send("courier.s2c", "r-\"9", json);
      assertEquals(
          new JsonObject()
              .put("type", "send")
              .put("address", "courier.s2c")
              .put("replyAddress", "r-\"9")
              .put("body", json),
          new JsonObject(send.getBuffer(4, send.length())));
    }
  }

  @Test
  void decodesWhatJacksonDecodes() {
    List<String> texts =
        List.of(
            "{\"type\":\"message\",\"address\":\"r-12\",\"headers\":{},\"body\":{\"code\":0,\"msgid\":\"132271570944012293\","
                + "\"status\":\"pushed\"},\"send\":true}",
            "{\"type\":\"pong\"}",
            " { \"a\" : [ 1 , -2 , 3000000000 , true , false , null , [ ] , { } ] } ",
            "{\"type\":\"err\",\"message\":\"caf\u00e9 \\\"quoted\\\" \\u00e9\",\"failureCode\":-1}",
            "{\"n\":1.5,\"e\":1e3,\"big\":123456789012345678901234567890,\"z\":0,\"neg\":-0}",
            "{\"dup\":1,\"dup\":2}");
    for (String text : texts) {
      byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
      assertEquals(new JsonObject(text), BridgeCodec.parse(bytes, 2, bytes.length - 2), text);
    }
    for (JsonObject json : samples()) {
      byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
      assertEquals(json, BridgeCodec.parse(bytes, 0, bytes.length));
    }
  }

  @Test
  void refusesWhatJacksonRefuses() {
    for (String text :
        List.of(
            "",
            "[1]",
            "\"s\"",
            "{",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1} x",
            "{\"a\":tru}",
            "{a:1}",
            "{\"a\":\"\u0001\"}")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThrows(DecodeException.class, () -> BridgeCodec.parse(bytes, 0, bytes.length), text);
    }
  }

  private static List<JsonObject> samples() {
    return List.of(
        new JsonObject(),
        new JsonObject().put("type", "ping"),
        new JsonObject().put("code", 0).put("msgid", "132271570944012293").put("status", "pushed"),
        new JsonObject()
            .put("long", Long.MAX_VALUE)
            .put("min", Long.MIN_VALUE)
            .put("int", Integer.MIN_VALUE)
            .put("bool", true)
            .put("null", (Object) null)
            .put("double", 2.5),
        new JsonObject()
            .put("escaped", "tab\there \"q\" back\\slash")
            .put("unicode", "caf\u00e9 \uD83D\uDE00"),
        new JsonObject()
            .put(
                "nested",
                new JsonObject()
                    .put(
                        "list",
                        new JsonArray()
                            .add(1)
                            .add("two")
                            .add(new JsonObject().put("three", 3))
                            .add(new JsonArray()))));
  }
}
