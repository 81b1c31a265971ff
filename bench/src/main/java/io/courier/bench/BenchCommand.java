package io.courier.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar courier-bench.jar <scenario> [options]}: the load tool. It runs one scenario
 * against a node started separately on this machine (or, for {@code baseline} and {@code fuzz}, on
 * its own), prints a summary, and with {@code --json} one line of JSON. See {@code --help} and
 * docs/benchmarks.md.
 */
public final class BenchCommand {
  private static final int FAILURE_EXIT = 1;
  private static final int USAGE_EXIT = 2;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final String LOG_LEVEL = "COURIER_LOG_LEVEL";

  private BenchCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs the command; the result is the process exit code (0, 1 when the bench failed, 2 for bad
   * usage).
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("-h")
        || args[0].equals("--help")
        || args[0].equals("help")) {
      (args.length == 0 ? err : out).print(BenchOptions.generalHelp());
      return args.length == 0 ? USAGE_EXIT : 0;
    }
    Scenario scenario = Scenario.byName(args[0]);
    if (scenario == null) {
      err.println("courier bench: unknown scenario '" + args[0] + "'");
      err.print(BenchOptions.generalHelp());
      return USAGE_EXIT;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.print(BenchOptions.help(scenario));
      return 0;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(scenario, rest);
    } catch (BenchOptions.UsageException e) {
      err.println("courier bench " + scenario.scenarioName() + ": " + e.getMessage());
      return USAGE_EXIT;
    }
    boolean json = options.flag(BenchOption.JSON);
    PrintStream summary = json ? err : out;
    if (scenario == Scenario.FUZZ) {
      // plain classes in this thread: no node, no Vert.x
      return FuzzBench.run(options, summary, out, err) ? 0 : FAILURE_EXIT;
    }
    if (!env.containsKey(LOG_LEVEL) && System.getProperty(LOG_LEVEL) == null) {
      // the jar's logback.xml logs to stdout; keep Vert.x's INFO lines out of the report (set
      // before the
      // first logger is made, so logback reads it)
      System.setProperty(LOG_LEVEL, "WARN");
    }

    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(options.integer(BenchOption.EVENT_LOOPS)));
    try {
      LoopContexts loops =
          Blocking.await(
              LoopContexts.deploy(vertx, options.integer(BenchOption.EVENT_LOOPS)),
              Duration.ofSeconds(30));
      BenchRun run = new BenchRun(options, vertx, loops, env, err);
      if (!vertx.isNativeTransportEnabled()) {
        run.progress("note: native epoll transport not available, using NIO");
      }
      Report report =
          switch (scenario) {
            case CONN -> ConnBench.run(run);
            case S2C -> S2cBench.run(run);
            case C2C -> C2cBench.run(run);
            case GROUP -> GroupBench.run(run);
            case C2S -> C2sBench.run(run);
            case PULL -> PullBench.run(run);
            case BASELINE -> BaselineBench.run(run);
            case ATTACK -> AttackBench.run(run);
            case FUZZ -> throw new IllegalStateException("fuzz has returned before Vert.x");
          };
      report.print(summary, out, json);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("courier bench " + scenario.scenarioName() + ": " + e.getMessage());
      return USAGE_EXIT;
    } catch (Blocking.BenchFailure e) {
      err.println(
          "courier bench "
              + scenario.scenarioName()
              + " failed: "
              + e.getMessage()
              + (options.has(BenchOption.HOST)
                  ? " (is the node running on "
                      + options.string(BenchOption.HOST)
                      + " with these ports?)"
                  : ""));
      return FAILURE_EXIT;
    } finally {
      try {
        Blocking.await(vertx.close(), CLOSE_TIMEOUT);
      } catch (Blocking.BenchFailure e) {
        err.println(
            "courier bench: Vert.x did not close within " + CLOSE_TIMEOUT.toSeconds() + " s");
      }
    }
  }
}
