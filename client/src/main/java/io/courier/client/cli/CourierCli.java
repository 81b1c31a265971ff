package io.courier.client.cli;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar courier-cli.jar <command> [options]}: a command-line client for trying a node in
 * two terminals, as {@code mosquitto_sub}/{@code mosquitto_pub} are for MQTT. {@code listen} and
 * {@code send} act as a user on a gate; {@code s2c} acts as a business on the TCP bridge.
 *
 * <p>Exit status: 0 done, 1 the operation failed (the reason on stderr), 2 bad usage.
 */
public final class CourierCli {
  /** Start of every status and error line on stderr. */
  static final String PREFIX = "courier-cli: ";

  static final String USAGE =
      """
      usage: courier-cli <command> [options]

      commands:
        listen   log in as a user and print the messages it receives (offline ones first)
        send     log in as a user and send one message to another user (C2C)
        s2c      push one message to a user as a business server, through the node's TCP bridge

      courier-cli <command> --help lists a command's options.
      Exit status: 0 done, 1 the operation failed (the reason on stderr), 2 bad usage.
      """;

  private CourierCli() {}

  public static void main(String[] args) {
    quietLibraryLogs();
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Netty and Vert.x log through java.util.logging in this jar (it ships no logging backend); their
   * warnings, such as Netty's on a host without a hardware address, would interleave with the
   * message lines, and every failure that matters reaches the user as the CLI's own line. Severe
   * ones still show.
   */
  private static void quietLibraryLogs() {
    Logger.getLogger("").setLevel(Level.SEVERE);
  }

  /** Runs one command; the result is the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return Outcome.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "-h", "--help", "help" -> {
        out.print(USAGE);
        yield Outcome.OK;
      }
      case "listen" ->
          command(
              rest,
              GateOptions.FLAGS,
              ListenCommand.USAGE,
              flags -> GateOptions.from(flags, env),
              options -> withVertx(vertx -> new ListenCommand(vertx, options, out, err).run()),
              out,
              err);
      case "send" ->
          command(
              rest,
              SendOptions.FLAGS,
              SendOptions.USAGE,
              flags -> SendOptions.from(flags, env, () -> UUID.randomUUID().toString()),
              options -> withVertx(vertx -> new SendCommand(vertx, options, out, err).run()),
              out,
              err);
      case "s2c" ->
          command(
              rest,
              S2cOptions.FLAGS,
              S2cOptions.USAGE,
              flags -> S2cOptions.from(flags, env),
              options -> new S2cCommand(options, out, err).run(),
              out,
              err);
      default -> {
        err.println(PREFIX + "unknown command '" + args[0] + "'");
        err.print(USAGE);
        yield Outcome.USAGE;
      }
    };
  }

  /** Turns a command's flags into its options. */
  private interface OptionsParser<T> {
    T parse(Flags flags) throws UsageException;
  }

  /** Parses, answers {@code --help} or reports bad usage, then runs the command. */
  private static <T> int command(
      String[] args,
      Set<String> known,
      String usage,
      OptionsParser<T> parser,
      ToIntFunction<T> runner,
      PrintStream out,
      PrintStream err) {
    T options;
    try {
      Flags flags = Flags.parse(args, known);
      if (flags.help()) {
        out.print(usage);
        return Outcome.OK;
      }
      options = parser.parse(flags);
    } catch (UsageException e) {
      err.println(PREFIX + e.getMessage());
      err.print(usage);
      return Outcome.USAGE;
    }
    return runner.applyAsInt(options);
  }

  /** Runs {@code command} on a Vert.x of its own, closed afterwards. */
  private static int withVertx(ToIntFunction<Vertx> command) {
    Vertx vertx = Vertx.vertx();
    try {
      return command.applyAsInt(vertx);
    } finally {
      vertx.close().await();
    }
  }

  /** Prints an outcome: success on stdout, failure on stderr; the result is its exit status. */
  static int report(Outcome outcome, PrintStream out, PrintStream err) {
    if (outcome.succeeded()) {
      out.println(outcome.line());
    } else {
      err.println(PREFIX + outcome.line());
    }
    return outcome.exitCode();
  }
}
