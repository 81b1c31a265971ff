package io.courier.faults;

import io.courier.faults.FaultPlan.Fault;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Injects one fault, holds it, heals it and waits until the cluster is whole again, recording each
 * phase in the history: {@code start}, {@code heal}, then {@code recovered} or, when the bound
 * passes first, {@code unrecovered}. A node found dead that the suite did not kill is recorded as a
 * {@code crash} and started again.
 */
final class FaultInjector {
  /** Bound of the recovery after a heal. */
  static final long RECOVERY_BOUND_MS = 120_000;

  private final Cluster cluster;
  private final Network network;
  private final Backends backends;
  private final History history;

  FaultInjector(Cluster cluster, Network network, Backends backends, History history) {
    this.cluster = cluster;
    this.network = network;
    this.backends = backends;
    this.history = history;
  }

  void inject(Fault fault) throws IOException, InterruptedException {
    String target = target(fault);
    history.write(phase(fault, "start").put("detail", detail(fault)));
    CourierNode node = fault.target() >= 0 ? cluster.node(fault.target()) : null;
    switch (fault.kind()) {
      case KILL -> {
        history.node(node.name(), node.vertxId(), false);
        node.kill();
        Thread.sleep(fault.holdMs());
        cluster.startNode(node);
      }
      case PAUSE -> {
        history.node(node.name(), node.vertxId(), false);
        node.pause();
        Thread.sleep(fault.holdMs());
        node.resume();
        history.node(node.name(), node.vertxId(), true);
      }
      case ISOLATE -> {
        network.isolate(node.net());
        Thread.sleep(fault.holdMs());
        network.heal();
      }
      case SPLIT -> {
        network.split(node.net());
        Thread.sleep(fault.holdMs());
        network.heal();
      }
      case LOSS -> {
        network.lossy(fault.amount());
        Thread.sleep(fault.holdMs());
        network.heal();
      }
      case DB_KILL -> {
        backends.killShard(fault.target());
        Thread.sleep(fault.holdMs());
        backends.restartShard(fault.target());
      }
      case REDIS_KILL -> {
        backends.killRedis();
        Thread.sleep(fault.holdMs());
        backends.restartRedis();
      }
      case CLOCK -> {
        node.shiftClock(fault.amount());
        Thread.sleep(fault.holdMs());
        node.shiftClock(0);
      }
    }
    history.write(phase(fault, "heal"));
    if (fault.kind() == FaultKind.KILL) {
      try {
        cluster.awaitNodeReady(node);
      } catch (IllegalStateException e) {
        history.write(phase(fault, "unrecovered").put("detail", e.getMessage()));
        return;
      }
    }
    String why = awaitWhole();
    if (why == null) {
      history.write(phase(fault, "recovered"));
    } else {
      history.write(phase(fault, "unrecovered").put("detail", why + " (target " + target + ")"));
    }
  }

  /**
   * Waits until the cluster is whole, restarting any node that died by itself; returns null, or why
   * it is not whole when the bound passes.
   */
  String awaitWhole() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + RECOVERY_BOUND_MS;
    String why;
    while ((why = cluster.unhealthy()) != null && System.currentTimeMillis() < deadline) {
      restartCrashed();
      Thread.sleep(500);
    }
    return why;
  }

  /** Starts again every node whose process ended without the suite killing it. */
  void restartCrashed() throws IOException, InterruptedException {
    for (CourierNode node : cluster.nodes()) {
      if (!node.alive()) {
        history.write(History.event("crash").put("name", node.name()).put("vertx", node.vertxId()));
        history.node(node.name(), node.vertxId(), false);
        cluster.startNode(node);
        try {
          cluster.awaitNodeReady(node);
        } catch (IllegalStateException e) {
          history.write(
              History.event("crash").put("name", node.name()).put("detail", e.getMessage()));
        }
      }
    }
  }

  private JsonObject phase(Fault fault, String phase) {
    return History.event("fault")
        .put("id", fault.id())
        .put("kind", fault.kind().name().toLowerCase(java.util.Locale.ROOT))
        .put("target", target(fault))
        .put("phase", phase);
  }

  private String target(Fault fault) {
    return switch (fault.kind()) {
      case KILL, PAUSE, ISOLATE, SPLIT, CLOCK -> cluster.node(fault.target()).name();
      case DB_KILL -> "mariadb-" + fault.target();
      case REDIS_KILL -> "redis";
      case LOSS -> "all links between nodes";
    };
  }

  private static String detail(Fault fault) {
    return switch (fault.kind()) {
      case LOSS -> fault.amount() + " % loss for " + fault.holdMs() + " ms";
      case CLOCK ->
          "wall clock "
              + (fault.amount() > 0 ? "+" : "")
              + fault.amount()
              + " s for "
              + fault.holdMs()
              + " ms";
      default -> "held " + fault.holdMs() + " ms";
    };
  }
}
