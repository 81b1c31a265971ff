package io.courier.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The nested configuration JSON, addressed by the dotted paths of {@link ConfigKey}. */
final class ConfigJson {

  private ConfigJson() {}

  /** The value at {@code path}, or null when it or an object on the way is absent. */
  static Object get(JsonObject root, String path) {
    Object node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject object)) {
        return null;
      }
      node = object.getValue(part);
    }
    return node;
  }

  /**
   * Puts {@code value} at {@code path}, creating (or replacing non-objects by) the objects above.
   */
  static void put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], value);
  }

  /**
   * Fails on the first key of {@code root} that is neither one of {@code known} nor an object on
   * the way to one, so that a misspelt key stops start-up instead of being silently ignored. The
   * value of a known key is its type's to check, objects included.
   */
  static void rejectUnknown(JsonObject root, Set<String> known) {
    rejectUnknown("", root, known);
  }

  private static void rejectUnknown(String prefix, JsonObject object, Set<String> known) {
    for (String name : object.fieldNames()) {
      String path = prefix + name;
      Object value = object.getValue(name);
      if (known.contains(path)) {
        continue;
      }
      if (!(value instanceof JsonObject child)) {
        throw new ConfigException("invalid configuration: unknown key " + path);
      }
      rejectUnknown(path + ".", child, known);
    }
  }
}
