package io.courier.config;

import io.courier.protocol.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A text per appcode, such as the issuer its tokens must name: in the JSON {@code {"101":
 * "https://id.example.com", …}}, in the environment {@code appcode=text[,appcode=text…]} as {@code
 * COURIER_APPS}, so a text may hold {@code =} but not {@code ,}. Texts are trimmed and must not be
 * empty.
 */
final class PerAppcodeType implements ValueType<Map<Integer, String>> {

  @Override
  public Map<Integer, String> parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    Map<Integer, String> byAppcode = new TreeMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      int appcode = AppsType.appcode(name);
      if (appcode < 1) {
        throw key.invalidAt(at, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      if (!(json.getValue(name) instanceof String text) || text.isBlank()) {
        throw key.invalidAt(at, "must be a non-empty string");
      }
      byAppcode.put(appcode, text.trim());
    }
    return Collections.unmodifiableMap(byAppcode);
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    JsonObject byAppcode = new JsonObject();
    KeyedEntries.parse(text, ',', "appcode=text[,appcode=text...]", key).forEach(byAppcode::put);
    return byAppcode;
  }

  @Override
  public Object toJson(Map<Integer, String> value) {
    JsonObject json = new JsonObject();
    value.forEach((appcode, text) -> json.put(String.valueOf(appcode), text));
    return json;
  }

  @Override
  public String accepts() {
    return "`appcode=text[,appcode=text…]`; JSON: an object appcode → text";
  }

  @Override
  public String describe(Map<Integer, String> value) {
    return value.isEmpty()
        ? "none"
        : value.entrySet().stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .collect(Collectors.joining(",", "`", "`"));
  }
}
