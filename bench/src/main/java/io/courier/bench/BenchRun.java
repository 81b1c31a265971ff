package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.ClientTls;
import io.courier.tools.TokenSigner;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What every scenario needs: the options, the bench's Vert.x and its event-loop contexts, progress
 * output, tokens, fleets of connections and the optional probe of the node's process.
 */
final class BenchRun {
  /** Time allowed to open and log in connections, on top of 10 s per 1,000 connections. */
  private static final Duration SETUP_BASE = Duration.ofSeconds(30);

  /** Bench tokens outlive any run. */
  private static final int TOKEN_TTL_SECONDS = 24 * 3600;

  final BenchOptions options;
  final Vertx vertx;
  final LoopContexts loops;
  final String runTag;
  private final Map<String, String> env;
  private final PrintStream progress;
  private final long startNanos = System.nanoTime();

  BenchRun(
      BenchOptions options,
      Vertx vertx,
      LoopContexts loops,
      Map<String, String> env,
      PrintStream progress) {
    this.options = options;
    this.vertx = vertx;
    this.loops = loops;
    this.env = env;
    this.progress = progress;
    this.runTag = Long.toString(System.currentTimeMillis(), 36);
  }

  String host() {
    return options.string(HOST);
  }

  Duration requestTimeout() {
    return Duration.ofSeconds(options.integer(REQUEST_TIMEOUT));
  }

  /** Time allowed to log in {@code connections}. */
  static Duration setupDeadline(int connections) {
    return SETUP_BASE.plusMillis(10L * connections);
  }

  void progress(String format, Object... args) {
    progress.printf(
        "[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    progress.flush();
  }

  /**
   * Signs the bench users' tokens for {@code appcode} with {@code --secret}, else the node
   * configuration's secret taken from the environment ({@code COURIER_APPS}).
   */
  TokenSigner signer(int appcode) {
    String secret = options.string(SECRET);
    if (secret == null) {
      secret = TokenSigner.configuredSecret(appcode, env);
    }
    if (secret == null) {
      throw new Blocking.BenchFailure(
          "appcode " + appcode + " is not configured (COURIER_APPS); pass --secret");
    }
    return new TokenSigner(vertx, secret, TOKEN_TTL_SECONDS);
  }

  /** A fleet for {@code count} connections whose first has global index {@code uidOffset}. */
  Fleet fleet(int count, int uidOffset) {
    SourcePlan plan =
        SourcePlan.of(
            options.string(SOURCE_BASE),
            uidOffset,
            count,
            options.has(PER_SOURCE) ? options.integer(PER_SOURCE) : SourcePlan.DEFAULT_PER_ADDRESS);
    Fleet.Transport transport =
        options.has(WS_PORT)
            ? new Fleet.Transport(true, options.integer(WS_PORT))
            : new Fleet.Transport(false, options.integer(GATE_PORT));
    return new Fleet(vertx, loops, plan, host(), transport, requestTimeout(), gateTls());
  }

  /** How the fleet reaches the gate: {@code --ca} or {@code --tls}, else plain TCP. */
  ClientTls gateTls() {
    if (options.has(CA)) {
      return ClientTls.trusting(Path.of(options.string(CA)));
    }
    return options.flag(TLS) ? ClientTls.systemTrust() : ClientTls.plain();
  }

  /** The node's process, when {@code --server-pid} was given. */
  ServerProbe probe() {
    return options.has(SERVER_PID) ? new ServerProbe(options.integer(SERVER_PID)) : null;
  }

  /** Starts measuring the CPU time of the node (with --server-pid) and of the bench process. */
  CpuWindow cpu() {
    return new CpuWindow(probe());
  }

  /** Starts measuring the CPU time of another server process (the MQTT broker) and of the bench. */
  CpuWindow cpuOf(OptionalInt pid) {
    return new CpuWindow(pid.isPresent() ? new ServerProbe(pid.getAsInt()) : null);
  }

  /** CPU used by the node and by the bench between {@link #cpu()} and {@link #report}. */
  static final class CpuWindow {
    private final ServerProbe probe;
    private final long wallStart = System.nanoTime();
    private final OptionalLong serverStart;
    private final long benchStart = benchCpuNanos();
    private final long[] machineStart = ServerProbe.machineTicks();

    private CpuWindow(ServerProbe probe) {
      this.probe = probe;
      this.serverStart = probe == null ? OptionalLong.empty() : probe.cpuMillis();
    }

    void report(Report report) {
      double wall = (System.nanoTime() - wallStart) / 1e9;
      int cores = Runtime.getRuntime().availableProcessors();
      report.section(
          "cpu",
          "CPU (percent of one core, averaged over the run; "
              + cores
              + " cores = "
              + 100 * cores
              + "%)");
      double bench = (benchCpuNanos() - benchStart) / 1e9;
      report.value(
          "bench_percent",
          "bench process",
          Report.round(100 * bench / wall),
          String.format("%.0f%%", 100 * bench / wall));
      OptionalLong serverEnd = probe == null ? OptionalLong.empty() : probe.cpuMillis();
      if (serverStart.isPresent() && serverEnd.isPresent()) {
        double server = (serverEnd.getAsLong() - serverStart.getAsLong()) / 1000.0;
        report.value(
            "server_percent",
            "node (--server-pid)",
            Report.round(100 * server / wall),
            String.format("%.0f%%", 100 * server / wall));
      } else {
        report.value("server_percent", "node (--server-pid)", null, "n/a");
      }
      long[] machineEnd = ServerProbe.machineTicks();
      if (machineStart != null && machineEnd != null && machineEnd[1] > machineStart[1]) {
        double busy =
            (double) (machineEnd[0] - machineStart[0]) / (machineEnd[1] - machineStart[1]);
        report.value(
            "machine_percent",
            "whole machine (all processes)",
            Report.round(100 * busy * cores),
            String.format(
                "%.0f%%  (what the bench and the node do not use is other load on the machine)",
                100 * busy * cores));
      }
    }

    private static long benchCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean) {
        return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      }
      return 0;
    }
  }
}
