package io.courier.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The frames for one business gathered into one direct buffer, so that the replies of one
 * event-loop turn leave in one socket write instead of one write (and one heap-to-direct copy)
 * each. The caller decides when to {@link #take()} the batch. Not thread-safe: one per connection.
 */
final class OutputBatch {
  private final ByteBufAllocator allocator;
  private ByteBuf pending;

  OutputBatch(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  /** Appends {@code frame}; returns true if it starts a new batch. */
  boolean add(Buffer frame) {
    boolean first = pending == null;
    ByteBuf bytes = ((BufferInternal) frame).getByteBuf();
    if (first) {
      pending = allocator.directBuffer(Math.max(bytes.readableBytes(), 1024));
    }
    pending.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    return first;
  }

  /**
   * Appends a frame of {@code body}, its length prefix first; returns true if it starts a new
   * batch.
   */
  boolean add(byte[] body) {
    boolean first = pending == null;
    if (first) {
      pending = allocator.directBuffer(Math.max(Frames.LENGTH_BYTES + body.length, 1024));
    }
    pending.writeInt(body.length).writeBytes(body);
    return first;
  }

  /** Bytes gathered and not yet taken. */
  int size() {
    return pending == null ? 0 : pending.readableBytes();
  }

  /** The batch, now owned by the caller (who must write or release it), or null when empty. */
  ByteBuf take() {
    ByteBuf batch = pending;
    pending = null;
    return batch;
  }

  /** Drops what is gathered: the connection is closing. */
  void discard() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
