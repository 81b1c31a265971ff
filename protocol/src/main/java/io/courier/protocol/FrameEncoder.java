package io.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes frames in the protocol v1 layout (see {@link Wire}). The body's JSON is generated straight
 * into the frame's buffer after the header, and the length field is filled in afterwards: no
 * intermediate copy.
 */
public final class FrameEncoder {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int INITIAL_CAPACITY = 256;

  /** Writes a frame body as one JSON value. */
  @FunctionalInterface
  public interface Body {
    void writeTo(JsonGenerator json) throws IOException;
  }

  /** Writes a flat frame body with {@link JsonBytes}. */
  @FunctionalInterface
  public interface FlatBody {
    void writeTo(JsonBytes json);
  }

  /**
   * Each thread's array that flat frames are written into before being copied out: an event loop
   * writes one frame at a time, and its array stays in its cache.
   */
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[INITIAL_SCRATCH];
        }
      };

  private static final int INITIAL_SCRATCH = 4096;

  /** A thread's array grown past this by a large body is not kept for the next one. */
  private static final int KEPT_SCRATCH = 256 * 1024;

  private FrameEncoder() {}

  /** A frame with {@code body} encoded as JSON; a null body is sent as no body (length 0). */
  public static Buffer encode(int cmd, long seq, JsonObject body) {
    return encodeWith(cmd, seq, body == null ? null : json -> JacksonCodec.encodeJson(body, json));
  }

  /** A frame whose body {@code body} writes; null is sent as no body (length 0). */
  public static Buffer encodeWith(int cmd, long seq, Body body) {
    // appended field by field in the order of HeaderLayout; the length is filled in after the body
    Buffer frame =
        Buffer.buffer(INITIAL_CAPACITY)
            .appendUnsignedShort(Wire.MAGIC)
            .appendUnsignedByte((short) Wire.VERSION)
            .appendUnsignedByte((short) Wire.FLAGS)
            .appendUnsignedShort(cmd)
            .appendUnsignedShort(0)
            .appendUnsignedInt(seq)
            .appendUnsignedInt(0);
    if (body != null) {
      try (JsonGenerator json = JSON.createGenerator(new Appender(frame))) {
        body.writeTo(json);
      } catch (IOException e) {
        throw new EncodeException("frame body not encoded: " + e.getMessage(), e);
      }
      frame.setUnsignedInt(HeaderLayout.LENGTH_OFFSET, frame.length() - Wire.HEADER_LENGTH);
    }
    return frame;
  }

  /**
   * A frame whose flat body {@code body} writes, in a buffer of exactly its size: the same bytes as
   * {@link #encodeWith} makes of the same fields with Jackson's generator.
   *
   * @implNote The body is written once, into the thread's array, and copied out into a Vert.x
   *     buffer of the frame's size: a frame like every other (growable, never released by the
   *     socket that writes it, so a qos-1 PUSH can be written again).
   */
  public static Buffer encodeFlat(int cmd, long seq, FlatBody body) {
    byte[] scratch = SCRATCH.get();
    JsonBytes json = JsonBytes.into(scratch, HeaderLayout.BODY_OFFSET);
    body.writeTo(json);
    byte[] frame = json.array();
    if (frame != scratch && frame.length <= KEPT_SCRATCH) {
      SCRATCH.set(frame);
    }
    int bodyLength = json.length();
    putShort(frame, HeaderLayout.MAGIC_OFFSET, Wire.MAGIC);
    frame[HeaderLayout.VERSION_OFFSET] = (byte) Wire.VERSION;
    frame[HeaderLayout.FLAGS_OFFSET] = (byte) Wire.FLAGS;
    putShort(frame, HeaderLayout.CMD_OFFSET, cmd);
    putShort(frame, HeaderLayout.RESERVED_OFFSET, 0);
    putInt(frame, HeaderLayout.SEQ_OFFSET, seq);
    putInt(frame, HeaderLayout.LENGTH_OFFSET, bodyLength);
    int frameLength = Wire.HEADER_LENGTH + bodyLength;
    return Buffer.buffer(frameLength).appendBytes(frame, 0, frameLength);
  }

  private static void putShort(byte[] frame, int offset, int value) {
    frame[offset] = (byte) (value >>> 8);
    frame[offset + 1] = (byte) value;
  }

  private static void putInt(byte[] frame, int offset, long value) {
    frame[offset] = (byte) (value >>> 24);
    frame[offset + 1] = (byte) (value >>> 16);
    frame[offset + 2] = (byte) (value >>> 8);
    frame[offset + 3] = (byte) value;
  }

  /** A response to {@code request}: cmd with the response bit, the request's seq. */
  public static Buffer response(Command request, long seq, JsonObject body) {
    return encode(request.responseCode(), seq, body);
  }

  /**
   * The ack of a PUSH: 0x8020 {@code {msgid}} with the PUSH's seq, written straight into its frame.
   */
  public static Buffer pushAck(long seq, String msgid) {
    return encodeWith(
        Command.PUSH.responseCode(),
        seq,
        json -> {
          json.writeStartObject();
          json.writeStringField("msgid", msgid);
          json.writeEndObject();
        });
  }

  /** The generator's output, appended to the frame. */
  private static final class Appender extends OutputStream {
    private final Buffer frame;

    Appender(Buffer frame) {
      this.frame = frame;
    }

    @Override
    public void write(int b) {
      frame.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      frame.appendBytes(bytes, offset, length);
    }
  }
}
