package io.courier.cluster;

/**
 * When a check of this node's msgid node id lease may believe what the cluster's shared data says,
 * judged from how regularly the node runs; and how long a confirmation lasts. {@link
 * NodeIdLeaseVerticle} ticks and runs a check every {@value #CHECK_INTERVAL_MS} ms.
 *
 * <p>A node's view of the shared data holds while the cluster counts it as a member. A node that
 * stalled — paused, a long GC, a frozen VM — may have been declared dead meanwhile, its lease
 * released and given to a node started since. It does not know yet: its copy of the partitions it
 * owned still says the lease is its own, and Hazelcast tells it only when it next hears from the
 * master (it then drops every other member and is alone with its stale copy of all partitions),
 * until it merges back into the cluster seconds later. So after a stall a check believes the shared
 * data only once membership is proved: another member answered one of this node's operations
 * (Hazelcast refuses operations from a non-member), or the node was alone in the cluster when it
 * last confirmed its lease and still is (no one could declare it dead).
 *
 * @implNote How long a confirmation lasts. Another node can take this node's id only after a
 *     detector released the lease, which it does when Hazelcast removed this node, which the master
 *     does after hearing no heartbeat from it for {@code hazelcast.max.no.heartbeat.seconds} (5 s
 *     in conf/cluster.xml). While the ticks come at most {@value #MAX_CHECK_GAP_MS} ms apart the
 *     node runs, and Hazelcast's heartbeats (every {@code hazelcast.heartbeat.interval.seconds}, 1
 *     s) go out at most an interval plus that gap apart; so when a check starts the master last
 *     heard from the node at most 2 s before, and neither removes it nor lets the id change hands
 *     sooner than 5 − 2 = 3 s after. A confirmation by a check that started at t therefore lasts
 *     until t + 3 s less a margin of {@value #MARGIN_MS} ms: 2.5 s, five checks. A pause of any
 *     length is noticed at the first id after it, whose confirmation is then too old ({@link
 *     MsgIdGenerator#next}), and by the first tick after it, which comes too late. Membership is
 *     proved only once the node has run for as long again (an interval, the gap and the margin)
 *     since the stall: by then the master heard a heartbeat sent after the stall, or has removed
 *     the node and told the member asked. Rejected: checking the lease at every id (a round trip
 *     per message), and a lease with a TTL that its holder renews (after a stall the holder renews
 *     its own stale copy just as well).
 */
final class LeaseFence {
  /** Time between two checks of the lease. */
  static final long CHECK_INTERVAL_MS = 500;

  /** Ticks further apart than this mean the node stalled between them. */
  static final long MAX_CHECK_GAP_MS = 2 * CHECK_INTERVAL_MS;

  /** Safety margin of the bounds below. */
  static final long MARGIN_MS = 500;

  /** What a check that starts may do with the lease. */
  enum Trust {
    /** Read the lease and confirm it, or replace it. */
    READ,
    /** Prove membership first (ask another member), then read the lease. */
    PROVE,
    /** Nothing yet: the generator's confirmation ages meanwhile. */
    WAIT
  }

  private final long maxLeaseAgeMs;
  private final long settleMs;
  private long lastTick;
  private boolean ticked;
  private boolean stalled;
  private long resumedAt;
  private int othersAtConfirmation;

  /**
   * @param heartbeatIntervalMs {@code hazelcast.heartbeat.interval.seconds}
   * @param maxNoHeartbeatMs {@code hazelcast.max.no.heartbeat.seconds}
   * @throws IllegalArgumentException when failure detection is too fast for a confirmation to
   *     outlast a few checks
   */
  LeaseFence(long heartbeatIntervalMs, long maxNoHeartbeatMs) {
    this.settleMs = heartbeatIntervalMs + MAX_CHECK_GAP_MS + MARGIN_MS;
    this.maxLeaseAgeMs = maxNoHeartbeatMs - settleMs;
    if (maxLeaseAgeMs < 2 * CHECK_INTERVAL_MS) {
      throw new IllegalArgumentException(
          "hazelcast.max.no.heartbeat.seconds must exceed hazelcast.heartbeat.interval.seconds by at"
              + " least "
              + (MAX_CHECK_GAP_MS + MARGIN_MS + 2 * CHECK_INTERVAL_MS)
              + " ms for msgid node id leases, got "
              + maxNoHeartbeatMs
              + " and "
              + heartbeatIntervalMs
              + " ms");
    }
  }

  /** How long a confirmation of the lease lasts (see the class comment). */
  long maxLeaseAgeMs() {
    return maxLeaseAgeMs;
  }

  /**
   * The node runs at {@code now}: called every {@value #CHECK_INTERVAL_MS} ms, whether a check is
   * running or not, and when a check starts. Further apart than {@value #MAX_CHECK_GAP_MS} ms (or
   * back in time), the node stalled in between.
   */
  void tick(long now) {
    if (ticked && (now - lastTick > MAX_CHECK_GAP_MS || now < lastTick)) {
      stalled = true;
      resumedAt = now;
    }
    ticked = true;
    lastTick = now;
  }

  /**
   * A check starts at {@code now} with {@code others} other members in the node's view of the
   * cluster; what it may do.
   */
  Trust start(long now, int others) {
    tick(now);
    if (!stalled) {
      return Trust.READ;
    }
    if (others == 0) {
      if (othersAtConfirmation == 0) {
        stalled = false;
        return Trust.READ;
      }
      return Trust.WAIT;
    }
    return now - resumedAt < settleMs ? Trust.WAIT : Trust.PROVE;
  }

  /** Whether the node stalled and has not proved its membership since. */
  boolean stalled() {
    return stalled;
  }

  /**
   * Another member answered an operation of this node, sent by a check that {@link Trust#PROVE}.
   */
  void proved() {
    stalled = false;
  }

  /** A check confirmed or replaced the lease with {@code others} other members in the cluster. */
  void confirmed(int others) {
    othersAtConfirmation = others;
  }
}
