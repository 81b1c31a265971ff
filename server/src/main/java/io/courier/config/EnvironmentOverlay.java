package io.courier.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Environment variables that override the configuration JSON: each {@link ConfigKey} has one, and
 * its value is written at the key's path, as a string typed later like any other value ({@code
 * COURIER_APPS}, {@code appcode=secret[,appcode=secret…]}, becomes the whole {@code apps} object).
 *
 * <p>Other variables are ignored, {@code COURIER_}-prefixed ones included.
 */
public final class EnvironmentOverlay {

  private EnvironmentOverlay() {}

  /** A copy of {@code conf} with every key's variable of {@code env} written over it. */
  public static JsonObject apply(JsonObject conf, Map<String, String> env) {
    JsonObject result = conf == null ? new JsonObject() : conf.copy();
    for (ConfigKey<?> key : ConfigKeys.all()) {
      String value = env.get(key.variable());
      if (value != null) {
        ConfigJson.put(result, key.path(), key.fromEnvironment(value));
      }
    }
    return result;
  }
}
