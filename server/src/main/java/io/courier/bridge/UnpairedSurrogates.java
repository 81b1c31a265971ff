package io.courier.bridge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Finds UTF-16 surrogates without their other half in the strings of a business frame. JSON may
 * escape any code unit (<code>"&#92;ud800"</code>), and the bridge's parser also decodes
 * UTF-8-encoded surrogates ({@code ED A0 80}) without complaint, so either way a lone surrogate
 * reaches a Java string; pushed to a client, it is text that a strict JSON decoder refuses.
 */
final class UnpairedSurrogates {
  private UnpairedSurrogates() {}

  /** Whether {@code chars[from, to)} holds an unpaired surrogate. */
  static boolean in(char[] chars, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isSurrogate(chars[i])) {
        if (!Character.isHighSurrogate(chars[i])
            || i + 1 == to
            || !Character.isLowSurrogate(chars[i + 1])) {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  /** Whether {@code s} holds an unpaired surrogate. */
  static boolean in(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        if (!Character.isHighSurrogate(s.charAt(i))
            || i + 1 == s.length()
            || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  /**
   * Where the first unpaired surrogate of {@code frame} is, or null if it has none: the path of the
   * string that holds it ({@code body.content}, {@code body.list[1]}), or of the object with a name
   * that holds it ("" for the frame itself), as the bad text cannot be echoed. The path is built
   * only once found, on the way back.
   */
  static String path(JsonObject frame) {
    String found = inObject(frame);
    return found == null || found.isEmpty() ? found : found.substring(1);
  }

  /** The path below {@code object} (each step starting with "." or "[") of the first one. */
  private static String inObject(JsonObject object) {
    for (Map.Entry<String, Object> member : object) {
      if (in(member.getKey())) {
        return "";
      }
      String found = inValue(member.getValue());
      if (found != null) {
        return "." + member.getKey() + found;
      }
    }
    return null;
  }

  private static String inValue(Object value) {
    if (value instanceof String) {
      return in((String) value) ? "" : null;
    }
    if (value instanceof JsonObject) {
      return inObject((JsonObject) value);
    }
    if (value instanceof JsonArray) {
      JsonArray array = (JsonArray) value;
      for (int i = 0; i < array.size(); i++) {
        String found = inValue(array.getValue(i));
        if (found != null) {
          return "[" + i + "]" + found;
        }
      }
    }
    return null;
  }
}
