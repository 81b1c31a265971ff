package io.courier.client.cli;

import io.courier.protocol.Fields;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value} or {@code --name=value}, each at most once, plus
 * {@code -h}/{@code --help} and the switches of {@link TlsFlags#SWITCHES} ({@code --tls}), which
 * take no value. Every other option takes a value; the argument after an option is its value even
 * when it starts with "--", so a text such as {@code --text "--hi"} stays possible.
 */
final class Flags {
  private final Map<String, String> values;
  private final Set<String> switches;
  private final boolean help;

  private Flags(Map<String, String> values, Set<String> switches, boolean help) {
    this.values = values;
    this.switches = switches;
    this.help = help;
  }

  /** Parses {@code args} against the option names {@code known} (without the leading dashes). */
  static Flags parse(String[] args, Set<String> known) throws UsageException {
    Map<String, String> values = new HashMap<>();
    Set<String> switches = new HashSet<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      if (TlsFlags.SWITCHES.contains(arg.substring(2))) {
        if (!switches.add(arg.substring(2))) {
          throw new UsageException(arg + " given twice");
        }
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (!known.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("missing value after --" + name);
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return new Flags(values, switches, help);
  }

  boolean help() {
    return help;
  }

  /** Whether the switch {@code --name} was given. */
  boolean has(String name) {
    return switches.contains(name);
  }

  /** The value of {@code --name}, or null when absent. */
  String get(String name) {
    return values.get(name);
  }

  String get(String name, String absent) {
    return values.getOrDefault(name, absent);
  }

  String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  /** A required user id (protocol rules: 1-64 chars of {@code [A-Za-z0-9_.:@-]}). */
  String uid(String name) throws UsageException {
    String value = required(name);
    if (!Fields.isUid(value)) {
      throw new UsageException(
          "--" + name + " must be 1-64 chars of [A-Za-z0-9_.:@-], got \"" + value + "\"");
    }
    return value;
  }

  /** A required integer in {@code min..max}. */
  int integer(String name, int min, int max) throws UsageException {
    return parseInteger(name, required(name), min, max);
  }

  /** An integer in {@code min..max}, {@code absent} when the option is not given. */
  int integer(String name, int min, int max, int absent) throws UsageException {
    String value = values.get(name);
    return value == null ? absent : parseInteger(name, value, min, max);
  }

  private static int parseInteger(String name, String value, int min, int max)
      throws UsageException {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below, as for a value out of range
    }
    throw new UsageException(
        "--" + name + " must be an integer " + min + "-" + max + ", got \"" + value + "\"");
  }
}
