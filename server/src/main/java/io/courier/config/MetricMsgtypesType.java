package io.courier.config;

import io.courier.protocol.Fields;
import io.courier.protocol.body.MessageFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code ops.metricMsgtypes} value: in the JSON {@code {"101": [1, 2, 9], "201": [1]}}, in the
 * environment {@code appcode=msgtype,msgtype…[;appcode=…]}. Entries are {@code appcode=list} as in
 * {@code COURIER_APPS}; since a list holds commas, entries are separated by {@code ;}.
 */
final class MetricMsgtypesType implements ValueType<MetricMsgtypes> {

  @Override
  public MetricMsgtypes parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    Map<Integer, Set<Integer>> byAppcode = new TreeMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      int appcode = AppsType.appcode(name);
      if (appcode < 1) {
        throw key.invalidAt(at, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      if (!(json.getValue(name) instanceof JsonArray listed)) {
        throw key.invalidAt(at, "must be a list of msgtypes");
      }
      Set<Integer> msgtypes = new TreeSet<>();
      for (Object item : listed) {
        int msgtype = msgtype(item);
        if (msgtype < 0) {
          throw key.invalidAt(
              at,
              "must hold msgtypes (integers 0.."
                  + MessageFields.MAX_MSGTYPE
                  + "), got "
                  + ValueType.shown(item));
        }
        msgtypes.add(msgtype);
      }
      byAppcode.put(appcode, msgtypes);
    }
    return new MetricMsgtypes(byAppcode);
  }

  /** The msgtype {@code item} holds (a JSON integer or a string of digits), or -1. */
  private static int msgtype(Object item) {
    long value;
    if (item instanceof Integer || item instanceof Long) {
      value = ((Number) item).longValue();
    } else if (item instanceof String text && text.trim().matches("\\d{1,5}")) {
      value = Long.parseLong(text.trim());
    } else {
      return -1;
    }
    return value <= MessageFields.MAX_MSGTYPE ? (int) value : -1;
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    JsonObject byAppcode = new JsonObject();
    KeyedEntries.parse(text, ';', "appcode=msgtype,msgtype...[;appcode=...]", key)
        .forEach(
            (appcode, list) -> {
              JsonArray msgtypes = new JsonArray();
              for (String msgtype : list.split(",")) {
                if (!msgtype.isBlank()) {
                  msgtypes.add(msgtype.trim());
                }
              }
              byAppcode.put(appcode, msgtypes);
            });
    return byAppcode;
  }

  @Override
  public Object toJson(MetricMsgtypes value) {
    JsonObject json = new JsonObject();
    value
        .byAppcode()
        .forEach(
            (appcode, msgtypes) ->
                json.put(String.valueOf(appcode), new JsonArray(msgtypes.stream().toList())));
    return json;
  }

  @Override
  public String accepts() {
    return "see [section 5](#5-apps-and-courier_apps)";
  }

  @Override
  public String describe(MetricMsgtypes value) {
    return value.byAppcode().isEmpty()
        ? "none"
        : value.byAppcode().entrySet().stream()
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
