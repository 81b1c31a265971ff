package io.courier.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How a configuration value is read, written back and documented.
 *
 * <p>Values may be JSON numbers or strings holding them, because environment variables ({@link
 * EnvironmentOverlay}) arrive as strings.
 */
interface ValueType<T> {

  /**
   * The typed value of {@code raw}, a non-null JSON value.
   *
   * @throws ConfigException from {@link ConfigKey#invalid(String)}
   */
  T parse(Object raw, ConfigKey<?> key);

  /** The JSON form of {@code value}, which {@link #parse} reads back. */
  Object toJson(T value);

  /** What the key accepts, in Markdown, for the key table of docs/configuration.md. */
  String accepts();

  /** {@code value} as a default in the key table, in Markdown. */
  default String describe(T value) {
    return "`" + value + "`";
  }

  /** The JSON value an environment variable's text stands for; most types read the text itself. */
  default Object fromEnvironment(String text, ConfigKey<?> key) {
    return text;
  }

  static ValueType<Integer> integer(int min, int max) {
    return new IntRange(min, max);
  }

  /** A non-empty string, trimmed. */
  static ValueType<String> text() {
    return text("string");
  }

  /** A non-empty string, trimmed, described by {@code accepts} (Markdown). */
  static ValueType<String> text(String accepts) {
    return new Text(accepts, s -> true, null);
  }

  /** A non-empty string, trimmed, that {@code rule} accepts; else it fails with {@code problem}. */
  static ValueType<String> text(String accepts, Predicate<String> rule, String problem) {
    return new Text(accepts, rule, problem);
  }

  /**
   * A secret ({@link Secrets}): a string of at least {@value Secrets#MIN_BYTES} bytes, taken as it
   * is (not trimmed), and never shown in an error message.
   */
  static ValueType<String> secret() {
    return new Secret();
  }

  /**
   * A JSON array of non-empty strings, or one comma-separated string (the environment's form) whose
   * empty items are skipped; each item trimmed and accepted by {@code rule}, else it fails with
   * {@code problem}.
   */
  static ValueType<List<String>> list(String accepts, Predicate<String> rule, String problem) {
    return new StringList(accepts, rule, problem);
  }

  /** One constant of {@code type}, named as its {@code toString()}. */
  static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
    return new OneOf<>(type);
  }

  /**
   * A set of constants of {@code type}, listed as for {@link #list} by their {@code toString()}; an
   * empty list means all.
   */
  static <E extends Enum<E>> ValueType<Set<E>> someOf(Class<E> type) {
    return new SomeOf<>(type);
  }

  /** {@code value} as an error message shows it: strings quoted. */
  static String shown(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  record IntRange(int min, int max) implements ValueType<Integer> {
    @Override
    public Integer parse(Object raw, ConfigKey<?> key) {
      long parsed;
      if (raw instanceof Integer || raw instanceof Long) {
        parsed = ((Number) raw).longValue();
      } else if (raw instanceof String text && text.trim().matches("-?\\d{1,10}")) {
        parsed = Long.parseLong(text.trim());
      } else {
        throw key.invalid(expected() + ", got " + shown(raw));
      }
      if (parsed < min || parsed > max) {
        throw key.invalid(expected() + ", got " + parsed);
      }
      return (int) parsed;
    }

    private String expected() {
      return "must be an integer in " + min + ".." + max;
    }

    @Override
    public Object toJson(Integer value) {
      return value;
    }

    @Override
    public String accepts() {
      return min + "–" + max;
    }
  }

  record Text(String accepts, Predicate<String> rule, String problem) implements ValueType<String> {
    @Override
    public String parse(Object raw, ConfigKey<?> key) {
      if (!(raw instanceof String text) || text.isBlank()) {
        throw key.invalid("must be a non-empty string, got " + shown(raw));
      }
      String value = text.trim();
      if (!rule.test(value)) {
        throw key.invalid(problem + ", got " + shown(value));
      }
      return value;
    }

    @Override
    public Object toJson(String value) {
      return value;
    }
  }

  record Secret() implements ValueType<String> {
    @Override
    public String parse(Object raw, ConfigKey<?> key) {
      if (!(raw instanceof String text)) {
        throw key.invalid("must be a string");
      }
      String weakness = Secrets.weakness(text);
      if (weakness != null) {
        throw key.invalid(weakness);
      }
      return text;
    }

    @Override
    public Object toJson(String value) {
      return value;
    }

    @Override
    public String accepts() {
      return "string of at least " + Secrets.MIN_BYTES + " bytes";
    }
  }

  record StringList(String accepts, Predicate<String> rule, String problem)
      implements ValueType<List<String>> {
    @Override
    public List<String> parse(Object raw, ConfigKey<?> key) {
      List<String> items = strings(raw, key);
      for (String item : items) {
        if (!rule.test(item)) {
          // items may be URIs with a password
          throw key.invalid(problem + ", got " + shown(item.replaceAll(":[^:@/]*@", ":***@")));
        }
      }
      return List.copyOf(items);
    }

    @Override
    public Object toJson(List<String> value) {
      return new JsonArray(value);
    }

    @Override
    public String describe(List<String> value) {
      return value.isEmpty() ? "none" : "`" + String.join(",", value) + "`";
    }
  }

  record OneOf<E extends Enum<E>>(Class<E> type) implements ValueType<E> {
    @Override
    public E parse(Object raw, ConfigKey<?> key) {
      String name = raw instanceof String text ? text.trim() : null;
      for (E candidate : type.getEnumConstants()) {
        if (candidate.toString().equals(name)) {
          return candidate;
        }
      }
      throw key.invalid("must be one of " + names(type) + ", got " + shown(raw));
    }

    @Override
    public Object toJson(E value) {
      return value.toString();
    }

    @Override
    public String accepts() {
      return Arrays.stream(type.getEnumConstants())
          .map(e -> "`" + e + "`")
          .collect(Collectors.joining(", "));
    }
  }

  record SomeOf<E extends Enum<E>>(Class<E> type) implements ValueType<Set<E>> {
    @Override
    public Set<E> parse(Object raw, ConfigKey<?> key) {
      List<String> listed = strings(raw, key);
      if (listed.isEmpty()) {
        return Collections.unmodifiableSet(EnumSet.allOf(type));
      }
      Set<E> values = EnumSet.noneOf(type);
      for (String name : listed) {
        values.add(
            Arrays.stream(type.getEnumConstants())
                .filter(e -> e.toString().equals(name))
                .findFirst()
                .orElseThrow(
                    () ->
                        key.invalid("must list some of " + names(type) + ", got " + shown(name))));
      }
      return Collections.unmodifiableSet(values);
    }

    @Override
    public Object toJson(Set<E> value) {
      return new JsonArray(value.stream().map(Object::toString).toList());
    }

    @Override
    public String accepts() {
      return "list of "
          + Arrays.stream(type.getEnumConstants())
              .map(e -> "`" + e + "`")
              .collect(Collectors.joining(", "))
          + "; empty = all";
    }

    @Override
    public String describe(Set<E> value) {
      return "`" + value.stream().map(Object::toString).collect(Collectors.joining(",")) + "`";
    }
  }

  /**
   * A JSON array of non-empty strings, or one comma-separated string (the environment's form) whose
   * empty items are skipped; items trimmed.
   */
  private static List<String> strings(Object raw, ConfigKey<?> key) {
    List<String> items = new ArrayList<>();
    if (raw instanceof String text) {
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    } else if (raw instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String text) || text.isBlank()) {
          throw key.invalid("must hold non-empty strings");
        }
        items.add(text.trim());
      }
    } else {
      throw key.invalid("must be a list of strings (a JSON array or a comma-separated string)");
    }
    return items;
  }

  private static <E extends Enum<E>> String names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Object::toString)
        .collect(Collectors.joining(", "));
  }
}
