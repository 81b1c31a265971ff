package io.courier.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads typed values from the nested configuration JSON by dotted path, and reports any key nobody
 * read, so that a misspelt key stops start-up instead of being silently ignored.
 *
 * <p>Values may be JSON numbers/booleans or strings holding them, because environment variables
 * ({@link EnvironmentOverlay}) arrive as strings.
 */
final class ConfigReader {
  private final JsonObject root;
  private final Set<String> read = new HashSet<>();

  ConfigReader(JsonObject root) {
    this.root = root;
  }

  int integer(String path, int defaultValue, int min, int max) {
    Object value = value(path);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    if (value instanceof Integer || value instanceof Long) {
      parsed = ((Number) value).longValue();
    } else if (value instanceof String && ((String) value).trim().matches("-?\\d{1,10}")) {
      parsed = Long.parseLong(((String) value).trim());
    } else {
      throw invalid(path, "must be an integer in " + min + ".." + max + ", got " + describe(value));
    }
    if (parsed < min || parsed > max) {
      throw invalid(path, "must be an integer in " + min + ".." + max + ", got " + parsed);
    }
    return (int) parsed;
  }

  String string(String path, String defaultValue) {
    Object value = value(path);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw invalid(path, "must be a non-empty string, got " + describe(value));
    }
    return ((String) value).trim();
  }

  /** One of {@code allowed}. */
  String choice(String path, String defaultValue, String... allowed) {
    String value = string(path, defaultValue);
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw invalid(path, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
  }

  /** A list of non-empty strings: a JSON array of strings, or one comma-separated string. */
  List<String> list(String path) {
    Object value = value(path);
    List<String> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (value instanceof String) {
      for (String item : ((String) value).split(",")) {
        if (!item.isBlank()) {
          result.add(item.trim());
        }
      }
    } else if (value instanceof JsonArray) {
      for (Object item : (JsonArray) value) {
        if (!(item instanceof String) || ((String) item).isBlank()) {
          throw invalid(path, "must hold non-empty strings");
        }
        result.add(((String) item).trim());
      }
    } else {
      throw invalid(path, "must be a list of strings (a JSON array or a comma-separated string)");
    }
    return result;
  }

  /**
   * The object at {@code path}, or null; its own keys are the caller's to read (they count as
   * read).
   */
  JsonObject object(String path) {
    Object value = value(path);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject)) {
      throw invalid(path, "must be a JSON object, got " + describe(value));
    }
    markReadBelow(path, (JsonObject) value);
    return (JsonObject) value;
  }

  /** Fails on the first key of the configuration that no read asked for. */
  void rejectUnknownKeys() {
    rejectUnknown("", root);
  }

  ConfigException invalid(String path, String problem) {
    String env = EnvironmentOverlay.variableFor(path);
    return new ConfigException(
        "invalid configuration: "
            + path
            + (env == null ? "" : " (environment " + env + ")")
            + " "
            + problem);
  }

  private Object value(String path) {
    read.add(path);
    Object node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject)) {
        return null;
      }
      node = ((JsonObject) node).getValue(part);
    }
    return node;
  }

  private void markReadBelow(String path, JsonObject object) {
    for (String key : object.fieldNames()) {
      String child = path + "." + key;
      read.add(child);
      if (object.getValue(key) instanceof JsonObject) {
        markReadBelow(child, object.getJsonObject(key));
      }
    }
  }

  private void rejectUnknown(String prefix, JsonObject object) {
    for (String key : object.fieldNames()) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      Object value = object.getValue(key);
      if (value instanceof JsonObject && !read.contains(path)) {
        rejectUnknown(path, (JsonObject) value);
      } else if (!read.contains(path)) {
        throw new ConfigException("invalid configuration: unknown key " + path);
      }
    }
  }

  private static String describe(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
