package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WebSocketFramingTest {
  private static final int MAX_BODY = 1024;

  private static Buffer ping(long seq) {
    return FrameEncoder.encode(Command.PING.code(), seq, new JsonObject().put("pad", "x"));
  }

  @Test
  void oneWholeFrameGoesToTheDecoder() {
    assertNull(WebSocketFraming.refusal(ping(1), MAX_BODY));
  }

  @Test
  void aPieceOfAFrameOrTwoFramesAreRefused() {
    Buffer frame = ping(1);
    assertNotNull(WebSocketFraming.refusal(frame.getBuffer(0, 15), MAX_BODY));
    assertNotNull(WebSocketFraming.refusal(frame.getBuffer(0, frame.length() - 1), MAX_BODY));
    assertNotNull(WebSocketFraming.refusal(frame.copy().appendBuffer(ping(2)), MAX_BODY));
    assertNotNull(WebSocketFraming.refusal(Buffer.buffer(), MAX_BODY));
  }

  @Test
  void aHeaderAnnouncingMoreThanTheMaximumGoesToTheDecoderFor413() {
    Buffer header = ping(1).getBuffer(0, 16);
    header.setUnsignedInt(12, MAX_BODY + 1L);
    assertNull(WebSocketFraming.refusal(header, MAX_BODY));
    header.setUnsignedInt(12, 0xFFFFFFFFL);
    assertNull(WebSocketFraming.refusal(header, MAX_BODY));
  }
}
