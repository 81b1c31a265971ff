package io.courier.bridge;

import io.vertx.core.buffer.Buffer;

import java.util.function.Supplier;

/**
 * Follows the frame boundaries of the bridge's output and lets the guard replace each {@code pong} frame.
 * Everything else passes through unchanged, in order, without being parsed.
 *
 * <p>This is how the guard's own err frames keep their place in the stream: for a frame it refuses, the
 * guard sends the bridge a {@code ping} instead, and puts its err frame where the matching pong comes out.
 * The bridge answers pings in order and at once, so the err reaches the business after the bridge's
 * answers to every earlier frame, just as if the bridge had refused the frame itself, and never in the
 * middle of one of the bridge's frames.
 *
 * <p>A pong is recognised by its exact bytes (a 15-byte body, {@link Frames#PONG_BODY}); only bodies of that
 * length are held back until complete. The input is trusted (our own bridge), so no length bound applies:
 * nothing is allocated from an announced length. Not thread-safe: one per connection.
 */
final class OutboundFrames {
  private int prefix;
  private int prefixBytes;
  /** Body bytes still to pass through for the current frame. */
  private long bodyLeft;
  /** The body gathered so far of a frame that may be a pong, or null. */
  private Buffer candidate;

  /**
   * Returns the bytes to write to the business for {@code chunk}: the same bytes, except that each complete
   * pong frame is replaced by {@code onPong.get()}. May be empty when the chunk ends inside a held prefix or
   * candidate.
   */
  Buffer feed(Buffer chunk, Supplier<Buffer> onPong) {
    Buffer out = Buffer.buffer(chunk.length());
    int pos = 0;
    int end = chunk.length();
    while (pos < end) {
      if (bodyLeft > 0) {
        int take = (int) Math.min(bodyLeft, end - pos);
        out.appendBuffer(chunk, pos, take);
        pos += take;
        bodyLeft -= take;
      } else if (candidate != null) {
        int take = Math.min(Frames.PONG_BODY.length() - candidate.length(), end - pos);
        candidate.appendBuffer(chunk, pos, take);
        pos += take;
        if (candidate.length() == Frames.PONG_BODY.length()) {
          if (candidate.equals(Frames.PONG_BODY)) {
            out.appendBuffer(onPong.get());
          } else {
            out.appendInt(candidate.length()).appendBuffer(candidate);
          }
          candidate = null;
        }
      } else {
        prefix = prefix << 8 | chunk.getUnsignedByte(pos++);
        if (++prefixBytes == Frames.LENGTH_BYTES) {
          long length = prefix & 0xFFFF_FFFFL;
          prefix = 0;
          prefixBytes = 0;
          if (length == Frames.PONG_BODY.length()) {
            candidate = Buffer.buffer(Frames.PONG_BODY.length());
          } else {
            out.appendInt((int) length);
            bodyLeft = length;
          }
        }
      }
    }
    return out;
  }
}
