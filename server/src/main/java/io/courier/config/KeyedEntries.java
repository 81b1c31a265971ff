package io.courier.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment's form of a value keyed by appcode (or by another name): {@code name=value}
 * entries joined by a separator, blank entries skipped. Each entry's name is trimmed; its value is
 * given as written, for the key's type to parse.
 */
final class KeyedEntries {
  private KeyedEntries() {}

  /**
   * The entries of {@code text} in their order, split at {@code separator}; an entry without a name
   * before its {@code =} fails with {@code form}, the syntax the key accepts.
   */
  static Map<String, String> parse(String text, char separator, String form, ConfigKey<?> key) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String entry : text.split(Pattern.quote(String.valueOf(separator)))) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw key.invalid("must be " + form + ", got an entry without '='");
      }
      entries.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return entries;
  }
}
