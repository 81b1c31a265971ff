package io.courier.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Encoding of bridge frames, the format of Vert.x's TCP event-bus bridge:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              length of the body in bytes (big-endian)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          body: a UTF-8 JSON object with a "type" ...          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Decoding is not here: business input goes through {@link InboundFrameReader} (bounded) and {@link
 * FrameCheck}; the bridge's output comes one complete frame per write ({@link BridgeLink}).
 */
final class Frames {
  /** Bytes of the length prefix. */
  static final int LENGTH_BYTES = 4;

  static final Buffer PING = encode(new JsonObject().put("type", FrameType.PING.wire()));

  private Frames() {}

  static Buffer encode(JsonObject body) {
    return frame(body.toBuffer());
  }

  /** {@code {"type":"err","message":<error>}}, plus {@code rule} and {@code field} when given. */
  static Buffer err(GuardError error, Rule rule, String field) {
    JsonObject body = new JsonObject().put("type", "err").put("message", error.wire());
    if (rule != null) {
      body.put("rule", rule.wire());
    }
    if (field != null) {
      body.put("field", field);
    }
    return encode(body);
  }

  private static Buffer frame(Buffer body) {
    return Buffer.buffer(LENGTH_BYTES + body.length()).appendInt(body.length()).appendBuffer(body);
  }
}
