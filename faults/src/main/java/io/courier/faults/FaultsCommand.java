package io.courier.faults;

import io.courier.faults.Checker.Violation;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar faults/target/courier-faults.jar run|check|clean}: the fault suite's command
 * (docs/faults.md). Exit code 0 when the checker passed, 1 when it found violations, 2 on a usage
 * error or a run that could not be carried out.
 */
public final class FaultsCommand {
  private static final String USAGE =
      """
      usage: courier-faults.jar run --duration SECONDS --seed N [--report DIR] [--work DIR]
                                    [--jar server/target/courier.jar] [--terminals 12] [--clock]
             courier-faults.jar check HISTORY.jsonl   judge a recorded history again
             courier-faults.jar clean [--work DIR]    remove what a crashed run left behind""";

  private FaultsCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0) {
      System.err.println(USAGE);
      return 2;
    }
    try {
      switch (args[0]) {
        case "run" -> {
          RunOptions options = RunOptions.parse(args);
          int violations = new FaultRun(options).run();
          System.out.println(
              "faults: seed "
                  + options.seed()
                  + ": "
                  + (violations == 0 ? "PASSED" : violations + " violations")
                  + "; report "
                  + options.report().resolve("report.md"));
          return violations == 0 ? 0 : 1;
        }
        case "check" -> {
          if (args.length != 2) {
            System.err.println(USAGE);
            return 2;
          }
          List<JsonObject> events = History.read(Path.of(args[1]));
          List<Violation> violations = new Checker(FaultRun.PRESENCE_BOUND_MS).check(events);
          violations.forEach(v -> System.out.println(v.rule() + ": " + v.detail()));
          System.out.println(Figures.of(events).encodePrettily());
          System.out.println(violations.isEmpty() ? "PASSED" : violations.size() + " violations");
          return violations.isEmpty() ? 0 : 1;
        }
        case "clean" -> {
          Path work =
              args.length == 3 && args[1].equals("--work")
                  ? Path.of(args[2])
                  : RunOptions.DEFAULT_WORK;
          FaultRun.cleanLeftovers(work);
          return 0;
        }
        default -> {
          System.err.println(USAGE);
          return 2;
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("courier-faults: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    } catch (Exception e) {
      System.err.println("courier-faults: the run could not be carried out: " + e);
      e.printStackTrace();
      return 2;
    }
  }
}
