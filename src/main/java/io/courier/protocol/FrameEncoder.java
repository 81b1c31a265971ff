package io.courier.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Writes frames in the protocol v1 layout (see {@link Wire}). */
public final class FrameEncoder {

  private FrameEncoder() {
  }

  /** A frame with {@code body} encoded as JSON; a null body is sent as no body (length 0). */
  public static Buffer encode(int cmd, long seq, JsonObject body) {
    Buffer json = body == null ? Buffer.buffer() : body.toBuffer();
    return Buffer.buffer(Wire.HEADER_LENGTH + json.length())
      .appendUnsignedShort(Wire.MAGIC)
      .appendUnsignedByte((short) Wire.VERSION)
      .appendUnsignedByte((short) Wire.FLAGS)
      .appendUnsignedShort(cmd)
      .appendUnsignedShort(0)
      .appendUnsignedInt(seq)
      .appendUnsignedInt(json.length())
      .appendBuffer(json);
  }

  /** A response to {@code request}: cmd with the response bit, the request's seq. */
  public static Buffer response(Command request, long seq, JsonObject body) {
    return encode(request.responseCode(), seq, body);
  }
}
