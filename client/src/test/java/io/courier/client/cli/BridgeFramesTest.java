package io.courier.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BridgeFramesTest {
  private static DataInputStream input(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  @Test
  void writesTheGoldenPingOfTheSpec() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BridgeFrames.write(new DataOutputStream(bytes), new JsonObject().put("type", "ping"));
    byte[] expected = {
      0x00, 0x00, 0x00, 0x0f, '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'p', 'i', 'n', 'g', '"',
      '}'
    };
    assertArrayEquals(expected, bytes.toByteArray());
  }

  @Test
  void readsFramesOneAfterTheOther() throws IOException {
    byte[] pong = "{\"type\":\"pong\"}".getBytes(UTF_8);
    byte[] message =
        "{\"type\":\"message\",\"address\":\"r-1\",\"body\":{\"code\":0}}".getBytes(UTF_8);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(pong.length);
    out.write(pong);
    out.writeInt(message.length);
    out.write(message);
    DataInputStream in = input(stream.toByteArray());
    assertEquals("pong", BridgeFrames.read(in).getString("type"));
    assertEquals(0, BridgeFrames.read(in).getJsonObject("body").getInteger("code"));
    assertThrows(EOFException.class, () -> BridgeFrames.read(in));
  }

  @Test
  void refusesAnOversizedLengthBeforeReadingTheBody() {
    byte[] header = {0x01, 0x00, 0x00, 0x01};
    IOException e = assertThrows(IOException.class, () -> BridgeFrames.read(input(header)));
    assertEquals(
        "the bridge announced a frame of 16777217 bytes, over the limit of 16777216",
        e.getMessage());
    byte[] negative = {(byte) 0xff, 0x00, 0x00, 0x00};
    assertThrows(IOException.class, () -> BridgeFrames.read(input(negative)));
  }

  @Test
  void refusesABodyThatIsNotAnObject() {
    byte[] array = {0x00, 0x00, 0x00, 0x02, '[', ']'};
    assertEquals(
        "the bridge sent a frame that is not a JSON object",
        assertThrows(IOException.class, () -> BridgeFrames.read(input(array))).getMessage());
    byte[] cut = {0x00, 0x00, 0x00, 0x05, '{', '}'};
    assertThrows(EOFException.class, () -> BridgeFrames.read(input(cut)));
  }

  @Test
  void sendFrameCarriesTheTimeoutAndTheSecretAsHeaders() {
    JsonObject body = new JsonObject().put("to_uid", "bob");
    JsonObject frame = BridgeFrames.send("courier.s2c", "r-1", body, "s3cret", 5000);
    assertEquals(
        new JsonObject()
            .put("type", "send")
            .put("address", "courier.s2c")
            .put("replyAddress", "r-1")
            .put("headers", new JsonObject().put("timeout", 5000L).put("courier-secret", "s3cret"))
            .put("body", body),
        frame);
    JsonObject open = BridgeFrames.send("courier.s2c", "r-1", body, null, 5000);
    assertFalse(open.getJsonObject("headers").containsKey("courier-secret"));
    assertTrue(open.getJsonObject("headers").containsKey("timeout"));
  }
}
