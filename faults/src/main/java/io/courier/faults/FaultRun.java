package io.courier.faults;

import io.courier.faults.Checker.Violation;
import io.courier.faults.FaultPlan.Fault;
import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

/**
 * One run of the suite: builds the network, the stores and the cluster, runs the workload while the
 * plan's faults come one after the other, heals everything, lets the terminals catch up, tears
 * everything down (also when the run fails or is interrupted) and judges the history.
 */
final class FaultRun {
  /** Nodes in the cluster and MariaDB shards. */
  static final int NODES = 3;

  static final int SHARDS = 2;

  /** Workload before the first fault. */
  private static final long WARMUP_MS = 15_000;

  /** A fault is started only when its hold and this much after it fit before the end. */
  private static final long FAULT_MARGIN_MS = 20_000;

  /**
   * How long a presence record may point at a killed or stopped node: Hazelcast's 5 s failure
   * detection (cluster.md section 4) plus 5 s for the detector's clean-up on a loaded machine.
   */
  static final long PRESENCE_BOUND_MS = 10_000;

  private final RunOptions options;
  private final List<NodeNet> nets = Topology.nodes(NODES);
  private Network network;
  private Backends backends;
  private Cluster cluster;
  private Workload workload;
  private boolean torn;

  FaultRun(RunOptions options) {
    this.options = options;
  }

  /** Runs, judges and reports; returns the number of violations. */
  int run() throws IOException, InterruptedException {
    Path report = Files.createDirectories(options.report());
    Path logs = Files.createDirectories(report.resolve("logs"));
    Path historyFile = report.resolve("history.jsonl");
    requireTools();
    cleanLeftovers(options.work());
    Files.createDirectories(options.work());
    List<FaultKind> kinds = new ArrayList<>(EnumSet.allOf(FaultKind.class));
    List<String> notes = new ArrayList<>();
    if (!options.clock()) {
      kinds.remove(FaultKind.CLOCK);
      notes.add("clock faults not asked for (--clock)");
    } else if (!CourierNode.clockShiftable()) {
      kinds.remove(FaultKind.CLOCK);
      notes.add("clock faults skipped: libfaketime is not installed (apt-get install faketime)");
    }
    List<Fault> injected = new ArrayList<>();
    Thread hook = new Thread(this::tearDown, "faults-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    long started = System.currentTimeMillis();
    try (History history = History.create(historyFile)) {
      network = new Network(nets);
      network.create();
      backends = new Backends(options.work(), logs, SHARDS);
      backends.start();
      FaultPlan plan = new FaultPlan(options.seed(), kinds, NODES, SHARDS);
      cluster =
          new Cluster(
              nets,
              options.jar(),
              logs,
              options.work(),
              backends,
              "courier-faults-" + options.seed(),
              plan.clockNode(),
              history);
      cluster.start();
      FaultInjector injector = new FaultInjector(cluster, network, backends, history);
      String why = injector.awaitWhole();
      if (why != null) {
        throw new IllegalStateException("the cluster did not form: " + why);
      }
      workload =
          new Workload(nets, options.terminals(), options.seed(), backends.redisPort(), history);
      history.phase("workload");
      workload.start();
      long end = System.currentTimeMillis() + options.durationMs();
      Thread.sleep(WARMUP_MS);
      Random quiet = new Random(options.seed());
      while (true) {
        Fault fault = plan.next();
        if (System.currentTimeMillis() + fault.holdMs() + FAULT_MARGIN_MS > end) {
          break;
        }
        System.out.println("faults: " + fault);
        injector.inject(fault);
        injected.add(fault);
        Thread.sleep(3_000 + quiet.nextInt(5_000));
      }
      long rest = end - System.currentTimeMillis();
      if (rest > 0) {
        Thread.sleep(rest);
      }
      history.phase("final");
      network.heal();
      String whole = injector.awaitWhole();
      if (whole != null) {
        history.write(
            History.event("fault")
                .put("id", 0)
                .put("kind", "final")
                .put("target", "cluster")
                .put("phase", "unrecovered")
                .put("detail", whole));
      }
      System.out.println("faults: final catch-up");
      workload.quiesce();
      history.phase("end");
    } finally {
      tearDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (interrupted run): the hook has torn everything down already
      }
    }
    List<JsonObject> events = History.read(historyFile);
    List<Violation> violations = new Checker(PRESENCE_BOUND_MS).check(events);
    JsonObject run =
        new JsonObject()
            .put("seed", options.seed())
            .put("durationSeconds", options.durationMs() / 1000)
            .put("wallSeconds", (System.currentTimeMillis() - started) / 1000)
            .put("terminals", options.terminals())
            .put("faultsInjected", injected.size())
            .put(
                "faultKinds",
                new JsonArray(injected.stream().map(f -> f.kind().name()).distinct().toList()))
            .put("notes", new JsonArray(notes));
    Report.write(report, Report.json(run, violations, Figures.of(events)));
    return violations.size();
  }

  private synchronized void tearDown() {
    if (torn) {
      return;
    }
    torn = true;
    try {
      if (workload != null) {
        workload.stop();
      }
      if (cluster != null) {
        cluster.stop();
      }
      if (backends != null) {
        backends.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Network.removeLeftovers();
    }
  }

  /** Removes what a previous run left behind: its namespaces (and their nodes) and its servers. */
  static void cleanLeftovers(Path work) throws IOException {
    Network.removeLeftovers();
    Backends.killLeftovers(work);
    if (Files.exists(work)) {
      Shell.run("rm", "-rf", work.toAbsolutePath().toString());
    }
  }

  private void requireTools() {
    for (String tool :
        List.of("ip", "iptables", "redis-server", "mariadbd", "mariadb-install-db", "mariadb")) {
      if (!Shell.has(tool)) {
        throw new IllegalStateException(
            tool + " is not installed (docs/faults.md lists what the suite needs)");
      }
    }
    if (!Files.isRegularFile(options.jar())) {
      throw new IllegalStateException(
          options.jar() + " does not exist: build it first (mvn -B package -DskipTests)");
    }
  }
}
