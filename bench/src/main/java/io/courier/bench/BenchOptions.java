package io.courier.bench;

import io.courier.protocol.Fields;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The options of one bench run, parsed and checked against the scenario: {@code --name value},
 * {@code --name=value}, or {@code --name} for a flag. Unknown options, options of another scenario,
 * missing values and integers out of range are refused with a {@link UsageException} naming the
 * option.
 */
public final class BenchOptions {
  private static final Set<BenchOption> CLUSTER_OPTIONS =
      EnumSet.of(
          BenchOption.CLUSTER_NAME,
          BenchOption.CLUSTER_MEMBERS,
          BenchOption.CLUSTER_HOST,
          BenchOption.CLUSTER_PORT);

  private final Scenario scenario;
  private final Map<BenchOption, String> values;

  private BenchOptions(Scenario scenario, Map<BenchOption, String> values) {
    this.scenario = scenario;
    this.values = values;
  }

  /** A bad command line; the message is for the user. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  public static BenchOptions parse(Scenario scenario, String... args) throws UsageException {
    Map<BenchOption, String> values = new EnumMap<>(BenchOption.class);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      BenchOption option = BenchOption.byName(name);
      if (option == null || !scenario.accepts(option)) {
        throw new UsageException(
            "unknown option --"
                + name
                + " for "
                + scenario.scenarioName()
                + " (see bench "
                + scenario.scenarioName()
                + " --help)");
      }
      if (option.isFlag()) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("missing value after --" + name);
        }
        value = args[++i];
      }
      if (values.put(option, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    checkClusterOptionsNeedTheClusterSender(values);
    if (scenario.accepts(BenchOption.TARGET) && !values.containsKey(BenchOption.TARGET)) {
      throw new UsageException("--target is required: decoder, body or richtext");
    }
    if (scenario.accepts(BenchOption.KIND) && !values.containsKey(BenchOption.KIND)) {
      throw new UsageException("--kind is required: " + kindNames());
    }
    for (BenchOption option : scenario.options()) {
      if (!values.containsKey(option) && scenario.defaultOf(option) != null) {
        values.put(option, scenario.defaultOf(option));
      }
    }
    for (Map.Entry<BenchOption, String> entry : values.entrySet()) {
      check(entry.getKey(), entry.getValue());
    }
    if (scenario.accepts(BenchOption.PROBE_SOURCE)) {
      checkProbeApart(values);
    }
    if (scenario.accepts(BenchOption.MEMBERS)) {
      checkGroupLayout(values);
    }
    return new BenchOptions(scenario, values);
  }

  private static void check(BenchOption option, String value) throws UsageException {
    if (option.isInteger()) {
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new UsageException(
            "--" + option.optionName() + " must be an integer, got '" + value + "'");
      }
      if (number < option.min() || number > option.max()) {
        String hint =
            option == BenchOption.CONNECTIONS
                    || option == BenchOption.RECEIVERS
                    || option == BenchOption.CLIENTS
                    || option == BenchOption.PAIRS
                ? " (one process may hold at most 20,000 file descriptors: run several bench processes, each with"
                    + " its own --uid-offset)"
                : "";
        throw new UsageException(
            String.format(
                "--%s must be %,d-%,d, got %s%s",
                option.optionName(), option.min(), option.max(), value, hint));
      }
    }
    if (option == BenchOption.HOST
        || option == BenchOption.SOURCE_BASE
        || option == BenchOption.PROBE_SOURCE
        || option == BenchOption.CLUSTER_HOST) {
      try {
        SourcePlan.parseLoopback(value);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--" + option.optionName() + ": " + e.getMessage());
      }
    }
    try {
      if (option == BenchOption.SENDER) {
        SenderKind.of(value);
      } else if (option == BenchOption.TARGET) {
        FuzzTarget.of(value);
      } else if (option == BenchOption.KIND) {
        AttackKind.of(value);
      } else if (option == BenchOption.CLUSTER_MEMBERS) {
        ClusterMember.parseMembers(value);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + option.optionName() + ": " + e.getMessage());
    }
    if (option == BenchOption.CLUSTER_NAME && !value.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new UsageException("--cluster-name must be 1-64 chars of [A-Za-z0-9_.-]");
    }
    if (option == BenchOption.CA && !Files.isReadable(Path.of(value))) {
      throw new UsageException("--ca " + value + ": no readable file");
    }
    if (option == BenchOption.UID && !Fields.isUid(value)) {
      throw new UsageException("--uid must be 1-64 chars of [A-Za-z0-9_.:@-]");
    }
  }

  private static String kindNames() {
    StringBuilder names = new StringBuilder();
    for (AttackKind kind : AttackKind.values()) {
      names.append(names.length() == 0 ? "" : ", ").append(kind.optionValue());
    }
    return names.toString();
  }

  /**
   * The probe stands for the clients the attack must not hurt, so it must not share a source
   * address (and with it the per-address limits) with the attack.
   */
  private static void checkProbeApart(Map<BenchOption, String> values) throws UsageException {
    AttackKind kind = AttackKind.of(values.get(BenchOption.KIND));
    int attackers =
        values.containsKey(BenchOption.ATTACKERS)
            ? Integer.parseInt(values.get(BenchOption.ATTACKERS))
            : kind.defaultAttackers();
    int perSource =
        kind == AttackKind.NEVER_LOGIN
            ? Integer.parseInt(values.get(BenchOption.PER_SOURCE))
            : SourcePlan.DEFAULT_PER_ADDRESS;
    int count = kind == AttackKind.CONN_FLOOD ? 1 : attackers;
    String probe = values.get(BenchOption.PROBE_SOURCE);
    for (SourcePlan.Slice slice :
        SourcePlan.of(values.get(BenchOption.SOURCE_BASE), 0, count, perSource).slices()) {
      if (slice.address().equals(probe)) {
        throw new UsageException(
            "--probe-source "
                + probe
                + " is one of the attack's source addresses; give the probe another");
      }
    }
  }

  /** Refuses before any connection a group layout that {@link GroupPlan} could not run. */
  private static void checkGroupLayout(Map<BenchOption, String> values) throws UsageException {
    try {
      GroupPlan.check(
          Integer.parseInt(values.get(BenchOption.GROUPS)),
          Integer.parseInt(values.get(BenchOption.MEMBERS)),
          Integer.parseInt(values.get(BenchOption.SENDERS_PER_GROUP)));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The {@code --cluster-*} options given without {@code --sender cluster} would be ignored
   * silently: refused. With it, this member's own address must not be one of the members it joins.
   */
  private static void checkClusterOptionsNeedTheClusterSender(Map<BenchOption, String> given)
      throws UsageException {
    boolean cluster = SenderKind.CLUSTER.optionValue().equals(given.get(BenchOption.SENDER));
    for (BenchOption option : CLUSTER_OPTIONS) {
      if (!cluster && given.containsKey(option)) {
        throw new UsageException(
            "--" + option.optionName() + " applies only with --sender cluster");
      }
    }
    if (cluster) {
      String self =
          given.getOrDefault(BenchOption.CLUSTER_HOST, BenchOption.CLUSTER_HOST.defaultValue())
              + ":"
              + given.getOrDefault(
                  BenchOption.CLUSTER_PORT, BenchOption.CLUSTER_PORT.defaultValue());
      String members =
          given.getOrDefault(
              BenchOption.CLUSTER_MEMBERS, BenchOption.CLUSTER_MEMBERS.defaultValue());
      if (Arrays.asList(members.split(",")).contains(self)) {
        throw new UsageException(
            "--cluster-port: the bench's member address "
                + self
                + " is one of --cluster-members;"
                + " give the bench a port of its own");
      }
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  public int integer(BenchOption option) {
    return Integer.parseInt(require(option));
  }

  public String string(BenchOption option) {
    return values.get(option);
  }

  public boolean has(BenchOption option) {
    return values.containsKey(option);
  }

  public boolean flag(BenchOption option) {
    return "true".equals(values.get(option));
  }

  private String require(BenchOption option) {
    String value = values.get(option);
    if (value == null) {
      throw new IllegalStateException(
          "--" + option.optionName() + " has no value for " + scenario.scenarioName());
    }
    return value;
  }

  /**
   * The effective options, for the report (not the secret, nor cluster options the bridge sender
   * ignores).
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach(
        (option, value) -> {
          if (option == BenchOption.SECRET
              || option == BenchOption.JSON
              || CLUSTER_OPTIONS.contains(option)
                  && !SenderKind.CLUSTER.optionValue().equals(values.get(BenchOption.SENDER))) {
            return;
          }
          json.put(
              option.optionName(),
              option.isInteger()
                  ? (Object) Long.parseLong(value)
                  : option.isFlag() ? (Object) Boolean.TRUE : value);
        });
    return json;
  }

  /** {@code bench --help}. */
  public static String generalHelp() {
    StringBuilder help = new StringBuilder();
    help.append("usage: java -jar courier-bench.jar <scenario> [options]\n")
        .append("       java -jar courier-bench.jar <scenario> --help\n\n")
        .append(
            "Load tool for a Courier node started separately on this machine (java -jar courier.jar);\n")
        .append(
            "it only connects to loopback. Every scenario stops by itself and closes its connections.\n\n")
        .append("scenarios:\n");
    for (Scenario scenario : Scenario.values()) {
      help.append(String.format("  %-9s %s%n", scenario.scenarioName(), scenario.summary()));
    }
    help.append(
            "\nOne process may hold at most 20,000 file descriptors on this machine, so a bench process\n")
        .append("opens at most ")
        .append(String.format("%,d", SourcePlan.MAX_PER_PROCESS))
        .append(" connections. For more, run several bench processes at once, each with its own\n")
        .append(
            "--uid-offset (0, 19000, 38000 ...) so that their users and source addresses do not collide.\n\n")
        .append(
            "Results: a summary on stdout; with --json one JSON line on stdout and the summary on stderr.\n")
        .append(
            "With --with-baseline (s2c, c2c) the Vert.x push/ack baseline runs in the same invocation and\n")
        .append("every rate and latency is also given as a ratio to it.\n");
    return help.toString();
  }

  /** {@code bench <scenario> --help}. */
  public static String help(Scenario scenario) {
    StringBuilder help = new StringBuilder();
    help.append("usage: java -jar courier-bench.jar ")
        .append(scenario.scenarioName())
        .append(" [options]\n\n")
        .append(scenario.summary())
        .append(".\n\n");
    for (String line : scenario.description()) {
      help.append(line).append('\n');
    }
    help.append("\noptions:\n");
    for (BenchOption option : scenario.options()) {
      String left = "--" + option.optionName() + (option.isFlag() ? "" : " " + option.valueName());
      String def = scenario.defaultOf(option);
      help.append(
          String.format(
              "  %-26s %s%s%n",
              left, option.help(), def == null || option.isFlag() ? "" : " [" + def + "]"));
    }
    return help.toString();
  }
}
