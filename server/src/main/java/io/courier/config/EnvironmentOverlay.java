package io.courier.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables that override the configuration JSON. Each maps to one dotted key; the
 * value is written there as a string and typed by {@link CourierConfig} like any other value.
 *
 * <p>{@code COURIER_APPS} is {@code appcode=secret[,appcode=secret…]} and replaces the whole app
 * list.
 */
public final class EnvironmentOverlay {
  private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("COURIER_NODE_ID", "node.id");
    VARIABLES.put("COURIER_ROLES", "node.roles");
    VARIABLES.put("COURIER_CLUSTER_NAME", "cluster.name");
    VARIABLES.put("COURIER_CLUSTER_HOST", "cluster.host");
    VARIABLES.put("COURIER_CLUSTER_PORT", "cluster.port");
    VARIABLES.put("COURIER_CLUSTER_MEMBERS", "cluster.members");
    VARIABLES.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "cluster.joinWaitSeconds");
    VARIABLES.put("COURIER_GATE_PUBLIC_HOST", "gate.publicHost");
    VARIABLES.put("COURIER_DRAIN_SECONDS", "gate.drainSeconds");
    VARIABLES.put("COURIER_GATE_HOST", "gate.host");
    VARIABLES.put("COURIER_GATE_PORT", "gate.port");
    VARIABLES.put("COURIER_GATE_INSTANCES", "gate.instances");
    VARIABLES.put("COURIER_GATE_MAX_BODY", "gate.maxBodyBytes");
    VARIABLES.put("COURIER_GATE_WRITE_QUEUE_BYTES", "gate.writeQueueBytes");
    VARIABLES.put("COURIER_LOGIN_TIMEOUT_MS", "gate.loginTimeoutMs");
    VARIABLES.put("COURIER_HEARTBEAT_SECONDS", "gate.heartbeatSeconds");
    VARIABLES.put("COURIER_REQUEST_TIMEOUT_MS", "gate.requestTimeoutMs");
    VARIABLES.put("COURIER_ACK_TIMEOUT_MS", "routing.ackTimeoutMs");
    VARIABLES.put("COURIER_PUSH_RETRIES", "routing.pushRetries");
    VARIABLES.put("COURIER_C2S_TIMEOUT_MS", "routing.c2sTimeoutMs");
    VARIABLES.put("COURIER_MAX_CONTENT", "routing.maxContentBytes");
    VARIABLES.put("COURIER_HTTP_HOST", "http.host");
    VARIABLES.put("COURIER_HTTP_PORT", "http.port");
    VARIABLES.put("COURIER_BRIDGE_HOST", "bridge.host");
    VARIABLES.put("COURIER_BRIDGE_PORT", "bridge.port");
    VARIABLES.put("COURIER_BRIDGE_MAX_FRAME", "bridge.maxFrameBytes");
    VARIABLES.put("COURIER_BRIDGE_SECRET", "bridge.secret");
    VARIABLES.put("COURIER_DATA_DIR", "data.dir");
    VARIABLES.put("COURIER_PRESENCE", "presence.backend");
    VARIABLES.put("COURIER_REDIS_URL", "presence.redisUrl");
    VARIABLES.put("COURIER_PRESENCE_TTL_SECONDS", "presence.ttlSeconds");
    VARIABLES.put("COURIER_STORE", "store.backend");
    VARIABLES.put("COURIER_MYSQL_SHARDS", "store.mysqlShards");
    VARIABLES.put("COURIER_ADMIN_TOKEN", "ops.adminToken");
    VARIABLES.put("COURIER_OPS_HOST", "ops.host");
    VARIABLES.put("COURIER_OPS_PORT", "ops.port");
    VARIABLES.put("COURIER_TRACE_ENTRIES", "ops.traceEntries");
    VARIABLES.put("COURIER_TRACE_RETENTION_SECONDS", "ops.traceRetentionSeconds");
    VARIABLES.put("COURIER_APPS", "apps");
  }

  private EnvironmentOverlay() {}

  /** The environment variable that sets {@code path}, or null. */
  public static String variableFor(String path) {
    for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
      if (e.getValue().equals(path) || path.startsWith(e.getValue() + ".")) {
        return e.getKey();
      }
    }
    return null;
  }

  /** A copy of {@code conf} with every known variable of {@code env} written over it. */
  public static JsonObject apply(JsonObject conf, Map<String, String> env) {
    JsonObject result = conf == null ? new JsonObject() : conf.copy();
    VARIABLES.forEach(
        (variable, path) -> {
          String value = env.get(variable);
          if (value != null) {
            set(result, path, path.equals("apps") ? parseApps(value) : value);
          }
        });
    return result;
  }

  private static JsonObject parseApps(String value) {
    JsonObject apps = new JsonObject();
    for (String entry : value.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "invalid configuration: apps (environment COURIER_APPS) must be "
                + "appcode=secret[,appcode=secret...], got an entry without '='");
      }
      apps.put(
          entry.substring(0, eq).trim(), new JsonObject().put("secret", entry.substring(eq + 1)));
    }
    return apps;
  }

  private static void set(JsonObject root, String path, Object value) {
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
}
