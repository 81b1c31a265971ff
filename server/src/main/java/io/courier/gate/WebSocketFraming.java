package io.courier.gate;

import io.courier.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * The WebSocket gate's one rule on top of protocol v1: each binary WebSocket message carries
 * exactly one whole frame. A frame spread over two messages, or two frames in one message, is
 * refused here, before the connection's frame decoder, which reads a byte stream and would
 * otherwise reassemble them silently.
 *
 * <pre>
 *  one binary message:  | header (16 bytes, length = n as its last 4 bytes) | body (n bytes) |
 * </pre>
 *
 * <p>A message whose header announces more than the maximum body goes on to the decoder, which
 * answers it 413 as on TCP; so do bad magic, version and flags in a message of the right length.
 */
final class WebSocketFraming {

  /** The frame length field: the last 4 bytes of the header. */
  private static final int LENGTH_OFFSET = Wire.HEADER_LENGTH - 4;

  private WebSocketFraming() {}

  /**
   * Why {@code message} is refused, or null when it goes to the frame decoder.
   *
   * @param maxBody the largest body the gate accepts
   */
  static String refusal(Buffer message, int maxBody) {
    int length = message.length();
    if (length < Wire.HEADER_LENGTH) {
      return "a WebSocket message must carry one whole frame: "
          + length
          + " bytes are less than a frame header";
    }
    long announced = message.getUnsignedInt(LENGTH_OFFSET);
    if (announced > maxBody) {
      return null;
    }
    long expected = Wire.HEADER_LENGTH + announced;
    if (expected != length) {
      return "a WebSocket message must carry exactly one frame: it has "
          + length
          + " bytes, its frame "
          + expected;
    }
    return null;
  }
}
