package io.courier.bridge;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * Splits a business's byte stream into frames, however the stream is split or coalesced, with a
 * bound: the length prefix is read as an unsigned 32-bit number and checked against the maximum as
 * soon as its four bytes are there, before anything of the body is kept. The body is then gathered
 * as it arrives, so a frame never costs more memory than the bytes actually received, and never
 * more than the maximum.
 *
 * <p>Vert.x 5.0.7's own parser ({@code FrameParser}) has no such bound, reads the length as a
 * signed int (a negative length makes it throw), and keeps whatever arrives: this class exists to
 * stand in front of it.
 *
 * <p>After {@link Sink#tooLarge} or {@link #stop()} all further input is ignored. Not thread-safe:
 * one reader per connection, fed from its event loop.
 */
final class InboundFrameReader {

  /** Receives what the reader finds, in stream order. */
  interface Sink {
    /**
     * A complete frame, length prefix included, its body not yet parsed (it may be empty, or not
     * JSON). The buffer shares the bytes of the input: valid during the call, not to be kept.
     */
    void frame(Buffer frame);

    /** A length prefix announced {@code length} bytes, more than the maximum. */
    void tooLarge(long length);
  }

  private final int maxBody;
  private final Sink sink;

  /**
   * Bytes received but not yet part of a complete frame: a partial prefix, or a prefix and a
   * partial body.
   */
  private Buffer pending;

  private boolean stopped;

  InboundFrameReader(int maxBody, Sink sink) {
    if (maxBody < 0) {
      throw new IllegalArgumentException("maxBody must be >= 0, got " + maxBody);
    }
    this.maxBody = maxBody;
    this.sink = Objects.requireNonNull(sink);
  }

  /** Feeds the next bytes of the stream. */
  void feed(Buffer chunk) {
    if (stopped) {
      return;
    }
    Buffer buf = pending == null ? chunk : pending.appendBuffer(chunk);
    int pos = 0;
    int end = buf.length();
    while (!stopped && end - pos >= Frames.LENGTH_BYTES) {
      long length = buf.getUnsignedInt(pos);
      if (length > maxBody) {
        stop();
        sink.tooLarge(length);
        return;
      }
      int frameEnd = pos + Frames.LENGTH_BYTES + (int) length;
      if (end < frameEnd) {
        break;
      }
      sink.frame(buf.slice(pos, frameEnd));
      pos = frameEnd;
    }
    if (stopped || pos == end) {
      pending = null;
    } else if (pos > 0 || pending == null) {
      // copy: the caller owns chunk, and a consumed prefix must not be kept
      pending = Buffer.buffer(end - pos).appendBuffer(buf, pos, end - pos);
    }
    // otherwise nothing was consumed and pending already holds all the bytes
  }

  /** Ignores all further input: called when the connection closes. */
  void stop() {
    stopped = true;
    pending = null;
  }
}
