package io.courier.gate;

/**
 * The bytes of one WebSocket connection handed to its socket and not yet written by it: the length
 * of each frame, oldest first, and their sum. Confined to the connection's event loop.
 *
 * @implNote Vert.x does not publish how much a WebSocket holds: part of it waits in Netty's
 *     outbound buffer, the rest in Vert.x's own queue in front of it, which counts messages, not
 *     bytes. Each write's future does complete when its bytes have left, and a socket completes
 *     them in the order of the writes (Netty's outbound buffer and Vert.x's queue are both FIFO,
 *     also when they fail on close), so a completion always stands for the oldest frame still
 *     counted. A ring of lengths keeps that exact without a listener object per write. The TCP gate
 *     needs none of it: it reads what is queued from its channel ({@link NetClientSocket}).
 */
final class PendingWrites {
  private static final int INITIAL_CAPACITY = 4;

  /** A ring grown this large by a burst is given back once it is empty again. */
  private static final int KEPT_CAPACITY = 64;

  /** Frame lengths, oldest at {@link #head}; the capacity is a power of two. */
  private int[] lengths = new int[INITIAL_CAPACITY];

  private int head;
  private int count;
  private long bytes;

  /** A frame of {@code length} bytes was handed to the socket. */
  void add(int length) {
    if (count == lengths.length) {
      grow();
    }
    lengths[(head + count) & (lengths.length - 1)] = length;
    count++;
    bytes += length;
  }

  /** The socket completed its oldest write; nothing happens when none is counted. */
  void completeOldest() {
    if (count == 0) {
      return;
    }
    bytes -= lengths[head];
    head = (head + 1) & (lengths.length - 1);
    count--;
    if (count == 0 && lengths.length > KEPT_CAPACITY) {
      lengths = new int[INITIAL_CAPACITY];
      head = 0;
    }
  }

  /** Bytes handed to the socket and not yet written. */
  long bytes() {
    return bytes;
  }

  /** Frames handed to the socket and not yet written. */
  int frames() {
    return count;
  }

  private void grow() {
    int[] larger = new int[lengths.length * 2];
    for (int i = 0; i < count; i++) {
      larger[i] = lengths[(head + i) & (lengths.length - 1)];
    }
    lengths = larger;
    head = 0;
  }
}
