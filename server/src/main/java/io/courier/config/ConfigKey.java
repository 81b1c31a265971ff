package io.courier.config;

/**
 * One configuration key, declared once in {@link ConfigKeys}: its dotted path in the {@code -conf}
 * JSON, its environment variable, its type, its default and what it does. Parsing, the environment
 * overlay, {@link CourierConfig#toJson()}, error messages and the key table of {@code
 * docs/configuration.md} all come from it.
 *
 * @param <T> the type of its value
 */
public final class ConfigKey<T> {
  private final ConfigKeys.Group group;
  private final String path;
  private final String variable;
  private final ValueType<T> type;
  private final T defaultValue;
  private final String doc;

  ConfigKey(
      ConfigKeys.Group group,
      String path,
      String variable,
      ValueType<T> type,
      T defaultValue,
      String doc) {
    this.group = group;
    this.path = path;
    this.variable = variable;
    this.type = type;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  /** The heading it is documented under. */
  public ConfigKeys.Group group() {
    return group;
  }

  /** Its place in the {@code -conf} JSON, e.g. {@code gate.port} for {@code {"gate": {"port"}}}. */
  public String path() {
    return path;
  }

  /** The environment variable that overrides it, e.g. {@code COURIER_GATE_PORT}. */
  public String variable() {
    return variable;
  }

  /** What it does, in Markdown. */
  public String doc() {
    return doc;
  }

  /** What it accepts, in Markdown, e.g. {@code 1–65535}. */
  public String accepts() {
    return type.accepts();
  }

  /** Its default in Markdown, or {@code none}. */
  public String defaultText() {
    return defaultValue == null ? "none" : type.describe(defaultValue);
  }

  /** The error that stops start-up: names this key and its variable, then {@code problem}. */
  public ConfigException invalid(String problem) {
    return invalidAt(path, problem);
  }

  /** As {@link #invalid(String)}, for {@code at}, a key inside this one's value. */
  ConfigException invalidAt(String at, String problem) {
    return new ConfigException(
        "invalid configuration: " + at + " (environment " + variable + ") " + problem);
  }

  /** The typed value of {@code raw} (from the JSON), or the default when it is null. */
  T parse(Object raw) {
    return raw == null ? defaultValue : type.parse(raw, this);
  }

  Object toJson(T value) {
    return value == null ? null : type.toJson(value);
  }

  /** The JSON value that the text of this key's environment variable stands for. */
  Object fromEnvironment(String text) {
    return type.fromEnvironment(text, this);
  }

  @Override
  public String toString() {
    return path;
  }
}
