package io.courier.config;

import io.courier.protocol.Fields;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code apps} value: in the JSON {@code {"101": {"secret": "…"}, …}}, in the environment
 * {@code appcode=secret[,appcode=secret…]}. The secret is everything after an entry's first {@code
 * =}, so it may hold {@code =} but not {@code ,}.
 */
final class AppsType implements ValueType<Apps> {

  @Override
  public Apps parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    Map<Integer, String> secrets = new TreeMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      int appcode = appcode(name);
      if (appcode < 1) {
        throw key.invalidAt(at, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      Object app = json.getValue(name);
      Object secret = app instanceof JsonObject object ? object.getValue("secret") : null;
      if (!(secret instanceof String text) || text.isEmpty()) {
        throw key.invalidAt(at + ".secret", "must be a non-empty string");
      }
      if (((JsonObject) app).size() != 1) {
        throw key.invalidAt(at, "has unknown keys; only \"secret\" is allowed");
      }
      String weakness = Secrets.weakness(text);
      if (weakness != null) {
        throw key.invalidAt(at + ".secret", weakness);
      }
      secrets.put(appcode, text);
    }
    if (secrets.isEmpty()) {
      throw key.invalid("must define at least one appcode");
    }
    return new Apps(secrets);
  }

  /** The appcode {@code name} holds, or -1. */
  static int appcode(String name) {
    try {
      int appcode = Integer.parseInt(name);
      return appcode >= 1 && appcode <= Fields.MAX_APPCODE ? appcode : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    JsonObject apps = new JsonObject();
    for (String entry : text.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw key.invalid("must be appcode=secret[,appcode=secret...], got an entry without '='");
      }
      apps.put(
          entry.substring(0, eq).trim(), new JsonObject().put("secret", entry.substring(eq + 1)));
    }
    return apps;
  }

  @Override
  public Object toJson(Apps value) {
    JsonObject json = new JsonObject();
    value
        .secrets()
        .forEach(
            (appcode, secret) ->
                json.put(String.valueOf(appcode), new JsonObject().put("secret", secret)));
    return json;
  }

  @Override
  public String accepts() {
    return "see [section 5](#5-apps-and-courier_apps)";
  }

  @Override
  public String describe(Apps value) {
    String appcodes =
        value.secrets().keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    Set<String> secrets = new HashSet<>(value.secrets().values());
    return secrets.size() == 1
        ? appcodes + ", all with secret `" + secrets.iterator().next() + "`"
        : appcodes;
  }
}
