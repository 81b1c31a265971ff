package io.courier.cluster;

import io.courier.contract.CourierException;
import io.courier.protocol.Code;
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
 * <p>Never goes backwards on one node: the (time, sequence) pair only grows, and ids under a lease
 * gained or regained start at the next millisecond, whatever their node id. When the clock steps
 * back, or 4096 ids are taken in one millisecond, the generator keeps counting on the last time it
 * used, borrowing from the future, and the clock catches up. The {@code floor} given at start (the
 * highest msgid already stored) carries that guarantee across restarts, even when the clock is
 * behind what was issued.
 *
 * <p>A single node's generator has a fixed node id. A clustered node's is {@linkplain #leased
 * leased}: it issues ids only while its node id lease was confirmed less than {@code maxLeaseAgeMs}
 * ago ({@link #confirm}, by {@link NodeIdLeaseVerticle}, which explains the bound); otherwise
 * {@link #next} refuses with a {@link CourierException} of code 503, which the flows answer as it
 * is. A clock that stepped back behind the last confirmation refuses too, until the next one.
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

  private final LongSupplier clock;

  /** How long a confirmation of the lease lasts; 0 for a fixed node id, which needs none. */
  private final long maxLeaseAgeMs;

  /** The last (time << 12 | sequence) issued. */
  private final AtomicLong last;

  /** The node id and when its lease was last confirmed; null while the node holds none. */
  private volatile Lease lease;

  private record Lease(int nodeId, long confirmedAt) {}

  /**
   * A generator with a fixed node id, for a node that is not clustered.
   *
   * @param nodeId 0–1023, unique among the nodes that issue msgids
   * @param clock milliseconds since the Unix epoch
   * @param floor no id issued will be less than or equal to it (0 for none)
   */
  public MsgIdGenerator(int nodeId, LongSupplier clock, long floor) {
    this(clock, floor, 0);
    lease = new Lease(checked(nodeId), 0);
  }

  private MsgIdGenerator(LongSupplier clock, long floor, long maxLeaseAgeMs) {
    this.clock = clock;
    this.maxLeaseAgeMs = maxLeaseAgeMs;
    long floorTime = floor >>> TIME_SHIFT;
    this.last = new AtomicLong(floorTime << SEQUENCE_BITS | (floor & SEQUENCE_MASK));
  }

  /**
   * A generator that issues ids only while a node id lease confirmed less than {@code
   * maxLeaseAgeMs} ago is held; it holds none until the first {@link #confirm}.
   */
  public static MsgIdGenerator leased(LongSupplier clock, long floor, long maxLeaseAgeMs) {
    if (maxLeaseAgeMs <= 0) {
      throw new IllegalArgumentException("maxLeaseAgeMs must be positive, got " + maxLeaseAgeMs);
    }
    return new MsgIdGenerator(clock, floor, maxLeaseAgeMs);
  }

  /**
   * @throws CourierException with code 503 when a leased generator holds no lease confirmed
   *     recently enough
   */
  public long next() {
    long now = clock.getAsLong();
    Lease held = lease;
    if (maxLeaseAgeMs > 0) {
      if (held == null) {
        throw refused("it holds no msgid node id");
      }
      long age = now - held.confirmedAt;
      if (age < 0 || age > maxLeaseAgeMs) {
        throw refused("its lease of msgid node id " + held.nodeId + " is not confirmed");
      }
    }
    long time = (now - EPOCH_MS) << SEQUENCE_BITS;
    long next = last.updateAndGet(previous -> Math.max(time, previous + 1));
    return (next >>> SEQUENCE_BITS) << TIME_SHIFT
        | (long) held.nodeId << NODE_SHIFT
        | (next & SEQUENCE_MASK);
  }

  /**
   * The lease of {@code nodeId} was found held by this node by a check that started at {@code at}
   * (this generator's clock): ids may be issued until {@code at + maxLeaseAgeMs}. Call from one
   * thread at a time, in the order of the checks.
   */
  void confirm(int nodeId, long at) {
    checked(nodeId);
    Lease held = lease;
    if (held == null || held.nodeId != nodeId) {
      last.updateAndGet(previous -> ((previous >>> SEQUENCE_BITS) + 1) << SEQUENCE_BITS);
    }
    lease = new Lease(nodeId, at);
  }

  /** The lease is lost: no id is issued until the next {@link #confirm}. */
  void revoke() {
    lease = null;
  }

  /** The milliseconds since the Unix epoch, by the clock that stamps the ids and ages the lease. */
  long now() {
    return clock.getAsLong();
  }

  /** The milliseconds since the Unix epoch encoded in {@code msgid}. */
  public static long timeOf(long msgid) {
    return (msgid >>> TIME_SHIFT) + EPOCH_MS;
  }

  /** The node id encoded in {@code msgid}. */
  public static int nodeOf(long msgid) {
    return (int) ((msgid >>> NODE_SHIFT) & MAX_NODE_ID);
  }

  private static int checked(int nodeId) {
    if (nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new IllegalArgumentException("node id must be 0-" + MAX_NODE_ID + ", got " + nodeId);
    }
    return nodeId;
  }

  private static CourierException refused(String why) {
    return new CourierException(
        Code.UNAVAILABLE, "this node cannot issue msgids now: " + why + "; retry later");
  }
}
