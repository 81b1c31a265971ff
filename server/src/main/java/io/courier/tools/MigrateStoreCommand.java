package io.courier.tools;

import io.courier.store.H2Migration;
import io.courier.store.RocksTuning;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code java -jar courier.jar migrate-store --from <h2 data dir> --to <data dir>}: copies the H2
 * message store of an earlier Courier into a new embedded store ({@link H2Migration}), which a node
 * started with {@code COURIER_DATA_DIR=<data dir>} then uses. Run it with the node stopped.
 */
public final class MigrateStoreCommand {
  public static final String NAME = "migrate-store";
  private static final int FAILURE_EXIT = 1;
  private static final int USAGE_EXIT = 2;
  private static final String USAGE =
      "usage: java -jar courier.jar migrate-store --from H2_DATA_DIR --to NEW_DATA_DIR\n"
          + "  copies the H2 store (H2_DATA_DIR/courier.mv.db) of an earlier Courier into a new\n"
          + "  embedded store in NEW_DATA_DIR/messages; stop the node first, then start it with\n"
          + "  COURIER_DATA_DIR=NEW_DATA_DIR";

  private MigrateStoreCommand() {}

  /**
   * Runs the command; the result is the process exit code (0, 1 when the copy failed, 2 for bad
   * arguments).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String from = null;
    String to = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("-h") || flag.equals("--help")) {
        out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.length) {
        return usage(err, "missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--from" -> from = value;
        case "--to" -> to = value;
        default -> {
          return usage(err, "unknown option " + flag);
        }
      }
    }
    if (from == null || to == null) {
      return usage(err, "--from and --to are required");
    }
    try {
      H2Migration.Copied copied =
          H2Migration.run(
              Path.of(from),
              Path.of(to),
              RocksTuning.defaults(),
              line -> out.println("copied " + line));
      out.println(
          "done: "
              + copied.offline()
              + " offline messages, "
              + copied.history()
              + " history rows and "
              + copied.cmids()
              + " cmids are in "
              + Path.of(to).toAbsolutePath().normalize()
              + "; start the node with COURIER_DATA_DIR="
              + Path.of(to).toAbsolutePath().normalize());
      return 0;
    } catch (Exception e) {
      err.println("courier migrate-store: " + e.getMessage());
      return FAILURE_EXIT;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("courier migrate-store: " + problem);
    err.println(USAGE);
    return USAGE_EXIT;
  }
}
