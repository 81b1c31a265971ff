package io.courier.config;

import io.courier.protocol.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code routing.systems} value: in the JSON {@code {"user": [101, 102, 103], "driver":
 * [201]}}, in the environment {@code name=appcode,appcode…[;name=…]}.
 */
final class SystemsType implements ValueType<Systems> {

  @Override
  public Systems parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    Map<String, Set<Integer>> systems = new LinkedHashMap<>();
    Map<Integer, String> seen = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
        throw key.invalidAt(at, "is not a system name (1-32 letters, digits, '_' or '-')");
      }
      if (!(json.getValue(name) instanceof JsonArray listed) || listed.isEmpty()) {
        throw key.invalidAt(at, "must be a non-empty list of appcodes");
      }
      Set<Integer> appcodes = new TreeSet<>();
      for (Object item : listed) {
        int appcode = item == null ? -1 : AppsType.appcode(String.valueOf(item).trim());
        if (appcode < 1) {
          throw key.invalidAt(
              at,
              "must hold appcodes (integers 1.."
                  + Fields.MAX_APPCODE
                  + "), got "
                  + ValueType.shown(item));
        }
        String other = seen.put(appcode, name);
        if (other != null && !other.equals(name)) {
          throw key.invalidAt(at, "holds appcode " + appcode + ", which is in system " + other);
        }
        appcodes.add(appcode);
      }
      systems.put(name, appcodes);
    }
    return new Systems(systems);
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    JsonObject systems = new JsonObject();
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw key.invalid("must be name=appcode,appcode...[;name=...], got an entry without '='");
      }
      JsonArray appcodes = new JsonArray();
      for (String appcode : entry.substring(eq + 1).split(",")) {
        if (!appcode.isBlank()) {
          appcodes.add(appcode.trim());
        }
      }
      systems.put(entry.substring(0, eq).trim(), appcodes);
    }
    return systems;
  }

  @Override
  public Object toJson(Systems value) {
    JsonObject json = new JsonObject();
    value
        .byName()
        .forEach((name, appcodes) -> json.put(name, new JsonArray(appcodes.stream().toList())));
    return json;
  }

  @Override
  public String accepts() {
    return "a JSON object of system name → appcodes; in the environment"
        + " `name=appcode,appcode…[;name=…]`. An appcode in no system is a system of its own";
  }

  @Override
  public String describe(Systems value) {
    return value.byName().isEmpty()
        ? "none"
        : value.byName().entrySet().stream()
            .map(
                entry ->
                    entry.getKey()
                        + "="
                        + entry.getValue().stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(",")))
            .collect(Collectors.joining(";", "`", "`"));
  }
}
