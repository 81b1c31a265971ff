package io.courier.faults;

import java.nio.file.Path;

/** What {@code run} was asked for. */
record RunOptions(
    long durationMs, long seed, Path report, Path work, Path jar, int terminals, boolean clock) {

  static final Path DEFAULT_WORK = Path.of("/tmp/courier-faults");
  static final Path DEFAULT_JAR = Path.of("server/target/courier.jar");
  static final int DEFAULT_TERMINALS = 12;

  /**
   * Reads {@code --duration S --seed N --report DIR [--work DIR] [--jar FILE] [--terminals N]
   * [--clock]}.
   */
  static RunOptions parse(String[] args) {
    long duration = 300;
    long seed = 1;
    Path report = null;
    Path work = DEFAULT_WORK;
    Path jar = DEFAULT_JAR;
    int terminals = DEFAULT_TERMINALS;
    boolean clock = false;
    for (int i = 1; i < args.length; i += 2) {
      if (args[i].equals("--clock")) {
        clock = true;
        i--;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--duration" -> duration = Long.parseLong(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--report" -> report = Path.of(value);
        case "--work" -> work = Path.of(value);
        case "--jar" -> jar = Path.of(value);
        case "--terminals" -> terminals = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (duration < 30) {
      throw new IllegalArgumentException("--duration must be at least 30 seconds");
    }
    if (terminals < 2) {
      throw new IllegalArgumentException("--terminals must be at least 2");
    }
    if (report == null) {
      report = Path.of("target", "faults-" + seed);
    }
    return new RunOptions(duration * 1000, seed, report, work, jar, terminals, clock);
  }
}
