package io.courier.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Makes msgids without a round trip: 41 bits of milliseconds since {@link #EPOCH_MS}, 10 bits of
 * node id, 12 bits of sequence — unique per node, trend-increasing across nodes, positive as a
 * signed long.
 *
 * <pre>
 *  63  62                                   22 21        12 11          0
 *  +---+--------------------------------------+------------+-------------+
 *  | 0 |     ms since 2025-01-01 (41 bits)    | node (10)  |  seq (12)   |
 *  +---+--------------------------------------+------------+-------------+
 * </pre>
 *
 * <p>Never goes backwards on one node: the (time, sequence) pair only grows. When the clock steps
 * back, or 4096 ids are taken in one millisecond, the generator keeps counting on the last time it
 * used, borrowing from the future, and the clock catches up. The {@code floor} given at start (the
 * highest msgid already stored) carries that guarantee across restarts, even when the clock is
 * behind what was issued.
 *
 * <p>Thread-safe and lock-free: one compare-and-set per id.
 */
public final class MsgIdGenerator {
  /** 2025-01-01T00:00:00Z; 41 bits of milliseconds last until 2094. */
  public static final long EPOCH_MS = 1_735_689_600_000L;

  public static final int NODE_BITS = 10;
  public static final int SEQUENCE_BITS = 12;
  public static final int MAX_NODE_ID = (1 << NODE_BITS) - 1;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
  private static final long NODE_SHIFT = SEQUENCE_BITS;
  private static final long TIME_SHIFT = SEQUENCE_BITS + NODE_BITS;

  private final long nodeBits;
  private final LongSupplier clock;

  /** The last (time << 12 | sequence) issued. */
  private final AtomicLong last;

  /**
   * @param nodeId 0–1023, unique among the nodes that issue msgids
   * @param clock milliseconds since the Unix epoch
   * @param floor no id issued will be less than or equal to it (0 for none)
   */
  public MsgIdGenerator(int nodeId, LongSupplier clock, long floor) {
    if (nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new IllegalArgumentException("node id must be 0-" + MAX_NODE_ID + ", got " + nodeId);
    }
    this.nodeBits = (long) nodeId << NODE_SHIFT;
    this.clock = clock;
    long floorTime = floor >>> TIME_SHIFT;
    this.last = new AtomicLong(floorTime << SEQUENCE_BITS | (floor & SEQUENCE_MASK));
  }

  public long next() {
    long now = (clock.getAsLong() - EPOCH_MS) << SEQUENCE_BITS;
    long next = last.updateAndGet(previous -> Math.max(now, previous + 1));
    return (next >>> SEQUENCE_BITS) << TIME_SHIFT | nodeBits | (next & SEQUENCE_MASK);
  }

  /** The milliseconds since the Unix epoch encoded in {@code msgid}. */
  public static long timeOf(long msgid) {
    return (msgid >>> TIME_SHIFT) + EPOCH_MS;
  }

  /** The node id encoded in {@code msgid}. */
  public static int nodeOf(long msgid) {
    return (int) ((msgid >>> NODE_SHIFT) & MAX_NODE_ID);
  }
}
