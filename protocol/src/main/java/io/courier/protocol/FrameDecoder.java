package io.courier.protocol;

import static io.courier.protocol.HeaderLayout.CMD_OFFSET;
import static io.courier.protocol.HeaderLayout.FLAGS_OFFSET;
import static io.courier.protocol.HeaderLayout.LENGTH_OFFSET;
import static io.courier.protocol.HeaderLayout.MAGIC_OFFSET;
import static io.courier.protocol.HeaderLayout.SEQ_OFFSET;
import static io.courier.protocol.HeaderLayout.VERSION_OFFSET;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * Reassembles frames from a byte stream split or coalesced in any way, and rejects a bad header
 * before reading anything after it.
 *
 * <p>The announced length is checked against the maximum as soon as the header is complete, so an
 * oversize frame never causes an allocation of its announced size. The magic is checked as soon as
 * its two bytes arrive (answered with seq 0: a stream that does not start with "CR" has no
 * trustworthy seq); the version, flags and length when the whole header is there (answered with the
 * header's seq). After a violation, or after {@link #stop()}, the decoder ignores all further
 * input. The reserved header field is ignored, as reserved fields are for future versions.
 *
 * <p>Not thread-safe: one decoder per connection, fed from its event loop.
 */
public final class FrameDecoder {

  /** Receives what the decoder finds, in stream order. */
  public interface Sink {
    void frame(Frame frame);

    void violation(FrameViolation violation);
  }

  private final int maxBody;
  private final Sink sink;
  private Buffer pending;
  private boolean stopped;

  public FrameDecoder(int maxBody, Sink sink) {
    if (maxBody < 0) {
      throw new IllegalArgumentException("maxBody must be >= 0, got " + maxBody);
    }
    this.maxBody = maxBody;
    this.sink = Objects.requireNonNull(sink);
  }

  /** Feeds the next bytes of the stream. */
  public void feed(Buffer chunk) {
    if (stopped) {
      return;
    }
    Buffer buf;
    if (pending == null) {
      buf = chunk;
    } else {
      buf = pending.appendBuffer(chunk);
    }
    int pos = 0;
    int end = buf.length();
    while (!stopped) {
      int available = end - pos;
      if (available == 0) {
        break;
      }
      if (buf.getUnsignedByte(pos + MAGIC_OFFSET) != (Wire.MAGIC >>> 8)
          || available >= MAGIC_OFFSET + 2
              && buf.getUnsignedByte(pos + MAGIC_OFFSET + 1) != (Wire.MAGIC & 0xFF)) {
        fail(Code.BAD_REQUEST, 0, "bad magic");
        break;
      }
      if (available < Wire.HEADER_LENGTH) {
        break;
      }
      long seq = buf.getUnsignedInt(pos + SEQ_OFFSET);
      if (buf.getUnsignedByte(pos + VERSION_OFFSET) != Wire.VERSION) {
        fail(
            Code.UNSUPPORTED_VERSION,
            seq,
            "unsupported protocol version " + buf.getUnsignedByte(pos + VERSION_OFFSET));
        break;
      }
      if (buf.getUnsignedByte(pos + FLAGS_OFFSET) != Wire.FLAGS) {
        fail(Code.BAD_REQUEST, seq, "flags must be 0");
        break;
      }
      long length = buf.getUnsignedInt(pos + LENGTH_OFFSET);
      if (length > maxBody) {
        fail(
            Code.TOO_LARGE,
            seq,
            "frame body of " + length + " bytes exceeds the maximum of " + maxBody);
        break;
      }
      if (available < Wire.HEADER_LENGTH + length) {
        break;
      }
      int cmd = buf.getUnsignedShort(pos + CMD_OFFSET);
      int bodyStart = pos + Wire.HEADER_LENGTH;
      pos = bodyStart + (int) length;
      sink.frame(new Frame(cmd, seq, buf.getBuffer(bodyStart, pos)));
    }
    if (stopped || pos == end) {
      pending = null;
    } else if (pos > 0 || buf == chunk) {
      // copy: the caller owns chunk, and a consumed prefix should not be kept
      pending = buf.getBuffer(pos, end);
    }
    // otherwise nothing was consumed and pending already holds the bytes
  }

  /**
   * The bytes held for a frame not yet complete: always fewer than {@link Wire#HEADER_LENGTH} plus
   * the maximum body, since a longer announced length is refused at its header. What the decoder
   * keeps of the stream is bounded by this, whatever the peer sends.
   */
  public int buffered() {
    return pending == null ? 0 : pending.length();
  }

  /** Ignores all further input: called when the connection closes. */
  public void stop() {
    stopped = true;
    pending = null;
  }

  private void fail(Code code, long seq, String msg) {
    stopped = true;
    sink.violation(new FrameViolation(code, seq, msg));
  }
}
