package io.courier.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@link OutboundFrames}: pass-through of the bridge's output, and the pong replacement at frame boundaries. */
class BridgeOutboundFramesTest {
  private static final Buffer ERR = Frames.err(GuardError.UNKNOWN_TYPE, null);

  private static Buffer frame(String body) {
    byte[] bytes = body.getBytes(UTF_8);
    return Buffer.buffer().appendInt(bytes.length).appendBytes(bytes);
  }

  /** Feeds {@code stream} cut at {@code cut}, replacing each pong by ERR; returns what would be written. */
  private static Buffer run(Buffer stream, int cut) {
    OutboundFrames frames = new OutboundFrames();
    Buffer out = Buffer.buffer();
    out.appendBuffer(frames.feed(stream.getBuffer(0, cut), () -> ERR));
    out.appendBuffer(frames.feed(stream.getBuffer(cut, stream.length()), () -> ERR));
    return out;
  }

  @Test
  void passesFramesThroughUnchangedHoweverSplit() {
    Buffer message = frame(new JsonObject().put("type", "message").put("address", "a").put("body", "x".repeat(300)).encode());
    // 15-byte bodies are held back as possible pongs, and must come out unchanged too
    Buffer stream = message.copy().appendBuffer(frame("{\"type\":\"err\"}")).appendBuffer(frame("123456789012345"))
      .appendBuffer(frame(""));
    for (int cut = 0; cut <= stream.length(); cut++) {
      assertEquals(stream, run(stream, cut), "cut at " + cut);
    }
  }

  @Test
  void replacesEachPongInPlaceHoweverSplit() {
    Buffer message = frame("{\"type\":\"message\",\"body\":\"{\\\"type\\\":\\\"pong\\\"}\"}");
    Buffer stream = message.copy().appendBuffer(Frames.PONG).appendBuffer(message).appendBuffer(Frames.PONG);
    Buffer expected = message.copy().appendBuffer(ERR).appendBuffer(message).appendBuffer(ERR);
    for (int cut = 0; cut <= stream.length(); cut++) {
      assertEquals(expected, run(stream, cut), "cut at " + cut);
    }
  }

  @Test
  void thePongBytesAreWhatTheBridgeEncodes() {
    assertEquals(Buffer.buffer(new JsonObject().put("type", "pong").encode()), Frames.PONG_BODY);
  }
}
