package io.courier.config;

import io.courier.protocol.Fields;
import io.courier.protocol.body.MessageFields;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code push.rules} value: in the JSON {@code {"101": {"default": "wake", "7": "never", "9":
 * "preview"}}}, in the environment {@code appcode=default:rule,msgtype:rule…[;appcode=…]}, as
 * {@code ops.metricMsgtypes} separates its entries.
 */
final class PushRulesType implements ValueType<PushRules> {
  private static final String DEFAULT = "default";

  @Override
  public PushRules parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    Map<Integer, PushRules.AppRules> byAppcode = new TreeMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      int appcode = AppsType.appcode(name);
      if (appcode < 1) {
        throw key.invalidAt(at, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      if (!(json.getValue(name) instanceof JsonObject rules)) {
        throw key.invalidAt(at, "must be an object of msgtype (or \"default\") to rule");
      }
      PushRule fallback = PushRule.WAKE;
      SortedMap<Integer, PushRule> byMsgtype = new TreeMap<>();
      for (String msgtype : rules.fieldNames()) {
        PushRule rule =
            rules.getValue(msgtype) instanceof String text ? PushRule.named(text.trim()) : null;
        if (rule == null) {
          throw key.invalidAt(
              at + "." + msgtype,
              "must be one of never, wake, preview, got "
                  + ValueType.shown(rules.getValue(msgtype)));
        }
        if (msgtype.equals(DEFAULT)) {
          fallback = rule;
        } else if (msgtype.matches("\\d{1,5}")
            && Integer.parseInt(msgtype) <= MessageFields.MAX_MSGTYPE) {
          byMsgtype.put(Integer.parseInt(msgtype), rule);
        } else {
          throw key.invalidAt(
              at + "." + msgtype,
              "is neither a msgtype (0.." + MessageFields.MAX_MSGTYPE + ") nor \"default\"");
        }
      }
      byAppcode.put(appcode, new PushRules.AppRules(fallback, byMsgtype));
    }
    return new PushRules(byAppcode);
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    JsonObject byAppcode = new JsonObject();
    KeyedEntries.parse(text, ';', "appcode=msgtype:rule,...[;appcode=...]", key)
        .forEach(
            (appcode, pairs) -> {
              JsonObject rules = new JsonObject();
              for (String pair : pairs.split(",")) {
                if (pair.isBlank()) {
                  continue;
                }
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                  throw key.invalid("must pair msgtype:rule (or default:rule), got " + pair.trim());
                }
                rules.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
              }
              byAppcode.put(appcode, rules);
            });
    return byAppcode;
  }

  @Override
  public Object toJson(PushRules value) {
    JsonObject json = new JsonObject();
    value
        .byAppcode()
        .forEach(
            (appcode, rules) -> {
              JsonObject app = new JsonObject().put(DEFAULT, rules.fallback().toString());
              rules
                  .byMsgtype()
                  .forEach((msgtype, rule) -> app.put(msgtype.toString(), rule.toString()));
              json.put(appcode.toString(), app);
            });
    return json;
  }

  @Override
  public String accepts() {
    return "per appcode, msgtype (or `default`) → `never`, `wake` or `preview`"
        + " ([push.md](push.md#2-when-an-app-is-woken))";
  }

  @Override
  public String describe(PushRules value) {
    return value.byAppcode().isEmpty()
        ? "every message `wake`s"
        : value.byAppcode().entrySet().stream()
            .map(
                entry ->
                    entry.getKey()
                        + "=default:"
                        + entry.getValue().fallback()
                        + entry.getValue().byMsgtype().entrySet().stream()
                            .map(rule -> "," + rule.getKey() + ":" + rule.getValue())
                            .collect(Collectors.joining()))
            .collect(Collectors.joining(";", "`", "`"));
  }
}
