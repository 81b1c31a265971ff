package io.courier.bench;

import static io.courier.bench.BenchOption.SECONDS;
import static io.courier.bench.BenchOption.SEED;
import static io.courier.bench.BenchOption.TARGET;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bench fuzz}: random inputs for one target during {@code --seconds}, each checked against
 * the target's properties, in this thread: no node and no Vert.x. Sizes cycle from 0 to 100, so
 * small inputs keep coming all along. The first input that breaks a property ends the run and is
 * printed in hex; the same seed gives the same inputs in the same order.
 */
final class FuzzBench {
  private static final int MAX_SIZE = 100;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  /** How a run ended: the inputs checked, over how long, and what broke (null if nothing). */
  record Outcome(long inputs, double seconds, Failure failure) {}

  /**
   * The input that broke a property: its number in the run (from 1), its bytes, what else it takes
   * to replay it, and what was thrown.
   */
  record Failure(long input, byte[] bytes, String detail, Throwable thrown) {}

  private FuzzBench() {}

  /**
   * Runs {@code bench fuzz} as {@code options} say: the report goes to {@code summary} (and JSON to
   * {@code out}), a broken property to {@code err}. Returns false when a property broke.
   */
  static boolean run(BenchOptions options, PrintStream summary, PrintStream out, PrintStream err) {
    FuzzTarget target = FuzzTarget.of(options.string(TARGET));
    long seed =
        options.has(SEED)
            ? Long.parseLong(options.string(SEED))
            : ThreadLocalRandom.current().nextLong();
    Outcome outcome =
        fuzz(target.fuzzer(), seed, Duration.ofSeconds(options.integer(SECONDS)), err);
    Failure failure = outcome.failure();
    new Report(Scenario.FUZZ, options)
        .section("fuzz", "Fuzzing " + target.description())
        .value("seed", "seed", seed, Long.toString(seed))
        .rate("inputs", "inputs checked", outcome.inputs(), outcome.seconds())
        .value(
            "broken_by",
            "property broken by",
            failure == null ? null : failure.input(),
            failure == null ? "none" : "input #" + failure.input())
        .print(summary, out, options.flag(BenchOption.JSON));
    if (failure != null) {
      printFailure(target, seed, failure, err);
    }
    return failure == null;
  }

  /** Checks inputs from {@code seed} until {@code duration} is over or one breaks a property. */
  static <T> Outcome fuzz(Fuzzer<T> fuzzer, long seed, Duration duration, PrintStream progress) {
    Random random = new Random(seed);
    long start = System.nanoTime();
    long nextProgress = start + PROGRESS_EVERY.toNanos();
    long inputs = 0;
    for (long now = start; now - start < duration.toNanos(); now = System.nanoTime()) {
      T input = fuzzer.next(random, (int) (inputs % (MAX_SIZE + 1)));
      inputs++;
      try {
        fuzzer.check(input);
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        Failure failure = new Failure(inputs, fuzzer.bytes(input), fuzzer.detail(input), e);
        return new Outcome(inputs, seconds(start), failure);
      }
      if (now - nextProgress >= 0) {
        progress.printf("[%6.1fs] %,d inputs checked%n", seconds(start), inputs);
        nextProgress += PROGRESS_EVERY.toNanos();
      }
    }
    return new Outcome(inputs, seconds(start), null);
  }

  static void printFailure(FuzzTarget target, long seed, Failure failure, PrintStream err) {
    err.printf(
        "courier bench fuzz: input #%d broke a property of %s (seed %d)%n",
        failure.input(), target.description(), seed);
    if (failure.thrown() instanceof Fuzzer.Broken) {
      err.println("  " + failure.thrown().getMessage());
    } else {
      err.print("  it threw: ");
      failure.thrown().printStackTrace(err);
    }
    err.printf(
        "  input (hex, %,d bytes): %s%n",
        failure.bytes().length, HexFormat.of().formatHex(failure.bytes()));
    if (!failure.detail().isEmpty()) {
      err.println("  " + failure.detail());
    }
    err.printf(
        "  replay: java -jar courier-bench.jar fuzz --target %s --seed %d (input #%d)%n",
        target.optionValue(), seed, failure.input());
    err.flush();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
