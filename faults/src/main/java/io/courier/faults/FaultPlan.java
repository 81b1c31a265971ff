package io.courier.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a run, drawn from its seed: the kinds come in rounds, each round every kind once in
 * a shuffled order, so that a run long enough for one round covers every kind and runs of different
 * seeds meet them in different orders, on different targets, for different lengths.
 */
final class FaultPlan {
  /** One fault: what, on which node or shard, how long it is held, and its size. */
  record Fault(int id, FaultKind kind, int target, long holdMs, int amount) {}

  private final Random random;
  private final List<FaultKind> kinds;
  private final int nodes;
  private final int shards;
  private final List<FaultKind> round = new ArrayList<>();
  private final int clockNode;
  private int next;

  FaultPlan(long seed, List<FaultKind> kinds, int nodes, int shards) {
    this.random = new Random(seed);
    this.kinds = kinds;
    this.nodes = nodes;
    this.shards = shards;
    this.clockNode = kinds.contains(FaultKind.CLOCK) ? random.nextInt(nodes) : -1;
  }

  /**
   * The node whose clock the plan moves, or -1: always the same one, so that only that node pays
   * for running under libfaketime (every clock read goes through it).
   */
  int clockNode() {
    return clockNode;
  }

  /** The next fault of the plan. */
  Fault next() {
    if (round.isEmpty()) {
      round.addAll(kinds);
      Collections.shuffle(round, random);
    }
    FaultKind kind = round.remove(0);
    int id = ++next;
    return switch (kind) {
      case KILL -> new Fault(id, kind, random.nextInt(nodes), between(2_000, 8_000), 0);
      case PAUSE -> new Fault(id, kind, random.nextInt(nodes), between(7_000, 12_000), 0);
      case ISOLATE, SPLIT -> new Fault(id, kind, random.nextInt(nodes), between(8_000, 15_000), 0);
      case LOSS -> new Fault(id, kind, -1, between(12_000, 20_000), (int) between(5, 25));
      case DB_KILL -> new Fault(id, kind, random.nextInt(shards), between(3_000, 10_000), 0);
      case REDIS_KILL -> new Fault(id, kind, -1, between(3_000, 10_000), 0);
      case CLOCK ->
          new Fault(
              id,
              kind,
              clockNode,
              between(8_000, 15_000),
              (int) (random.nextBoolean() ? between(20, 120) : -between(20, 120)));
    };
  }

  private long between(long low, long high) {
    return low + (long) (random.nextDouble() * (high - low));
  }
}
