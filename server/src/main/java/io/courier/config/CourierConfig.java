package io.courier.config;

import io.courier.protocol.Fields;
import io.courier.protocol.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's configuration: typed, validated, with named defaults. Sources, lowest to highest: the
 * defaults below, the {@code -conf} JSON, environment variables ({@link EnvironmentOverlay}).
 *
 * <p>Built once at start-up by {@link #from(JsonObject)}; verticles receive it (or its {@link
 * #toJson()} form) and never read the environment themselves.
 */
public final class CourierConfig {
  /** Node id used in msgids: 0. */
  public static final int DEFAULT_NODE_ID = 0;

  public static final int MAX_NODE_ID = 1023;

  /** Gate TCP interface: all interfaces. */
  public static final String DEFAULT_GATE_HOST = "0.0.0.0";

  /** Gate TCP port: 9000. */
  public static final int DEFAULT_GATE_PORT = 9000;

  /** Gate verticle instances: 0 means one per event loop. */
  public static final int DEFAULT_GATE_INSTANCES = 0;

  /** Maximum frame body: 65536 bytes. */
  public static final int DEFAULT_MAX_BODY_BYTES = Wire.DEFAULT_MAX_BODY;

  /** Bytes queued for one connection before the gate stops reading it: 128 KiB. */
  public static final int DEFAULT_WRITE_QUEUE_BYTES = 128 * 1024;

  /** Time a connection has to log in: 10 000 ms. */
  public static final int DEFAULT_LOGIN_TIMEOUT_MS = 10_000;

  /** Heartbeat interval advertised at login: 30 s; a connection silent for 3 × this is closed. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 30;

  /**
   * Timeout of a gate's request to the logic verticles: 10 000 ms (above the C2S timeout, so that a
   * slow consumer is reported as 504 by routing).
   */
  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

  /** Time a PUSH waits for the client's ack before it is resent: 10 000 ms. */
  public static final int DEFAULT_ACK_TIMEOUT_MS = 10_000;

  /** Resends of an unacknowledged PUSH before it is left in the offline store for PULL: 2. */
  public static final int DEFAULT_PUSH_RETRIES = 2;

  /** Time a C2S message waits for a business consumer's reply: 5 000 ms. */
  public static final int DEFAULT_C2S_TIMEOUT_MS = 5_000;

  /** Largest message content in UTF-8 bytes: 16 384. */
  public static final int DEFAULT_MAX_CONTENT_BYTES = 16_384;

  /** HTTP interface (health, metrics, gate list, admin): all interfaces. */
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";

  /** HTTP port: 8080. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Business TCP event-bus bridge interface: loopback only, since the bridge trusts its peers. */
  public static final String DEFAULT_BRIDGE_HOST = "127.0.0.1";

  /** Business TCP event-bus bridge port: 7000. */
  public static final int DEFAULT_BRIDGE_PORT = 7000;

  /**
   * Largest frame a business may send on the bridge: 256 KiB; a larger one closes that connection.
   */
  public static final int DEFAULT_BRIDGE_MAX_FRAME_BYTES = 256 * 1024;

  /** Directory of the embedded stores: {@code data}. */
  public static final String DEFAULT_DATA_DIR = "data";

  /** Presence backend: {@code shared} (Vert.x shared data: local, or Hazelcast when clustered). */
  public static final String DEFAULT_PRESENCE = "shared";

  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  /** Presence records expire after 90 s unless their gate refreshes them (every third of that). */
  public static final int DEFAULT_PRESENCE_TTL_SECONDS = 90;

  /** Message store: {@code embedded} (H2 files under the data directory). */
  public static final String DEFAULT_STORE = "embedded";

  /** Roles of a node: all of them. */
  public static final List<String> ALL_ROLES = List.of("gate", "logic", "detector");

  /** Hazelcast member port: 5701. */
  public static final int DEFAULT_CLUSTER_PORT = 5701;

  /** Seconds a starting member waits for the others before it forms a cluster: 2 (0 in tests). */
  public static final int DEFAULT_JOIN_WAIT_SECONDS = 2;

  /**
   * Window over which a stopping gate spreads its KICK 4002s, so clients do not reconnect all at
   * once: 10 s.
   */
  public static final int DEFAULT_DRAIN_SECONDS = 10;

  /**
   * Steps a node keeps for GET /v1/trace: 400 000, about 100 000 messages at 2-4 steps each on a
   * node.
   */
  public static final int DEFAULT_TRACE_ENTRIES = 400_000;

  /** How long a node keeps the steps of a message: 3 600 s. */
  public static final int DEFAULT_TRACE_RETENTION_SECONDS = 3600;

  private static final int MAX_PORT = 65535;

  private final int nodeId;
  private final String gateHost;
  private final int gatePort;
  private final int gateInstances;
  private final int maxBodyBytes;
  private final int writeQueueBytes;
  private final int loginTimeoutMs;
  private final int heartbeatSeconds;
  private final int requestTimeoutMs;
  private final int ackTimeoutMs;
  private final int pushRetries;
  private final int c2sTimeoutMs;
  private final int maxContentBytes;
  private final String httpHost;
  private final int httpPort;
  private final String bridgeHost;
  private final int bridgePort;
  private final int bridgeMaxFrameBytes;
  private final String bridgeSecret;
  private final String dataDir;
  private final Set<String> roles;
  private final String clusterName;
  private final String clusterHost;
  private final int clusterPort;
  private final List<String> clusterMembers;
  private final int joinWaitSeconds;
  private final String gatePublicHost;
  private final int drainSeconds;
  private final String presenceBackend;
  private final String redisUrl;
  private final int presenceTtlSeconds;
  private final String storeBackend;
  private final List<String> mysqlShards;
  private final String adminToken;
  private final String opsHost;
  private final int opsPort;
  private final int traceEntries;
  private final int traceRetentionSeconds;
  private final Apps apps;

  private CourierConfig(ConfigReader in) {
    nodeId = in.integer("node.id", DEFAULT_NODE_ID, 0, MAX_NODE_ID);
    gateHost = in.string("gate.host", DEFAULT_GATE_HOST);
    gatePort = in.integer("gate.port", DEFAULT_GATE_PORT, 1, MAX_PORT);
    gateInstances = in.integer("gate.instances", DEFAULT_GATE_INSTANCES, 0, 1024);
    maxBodyBytes = in.integer("gate.maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1024, 16 * 1024 * 1024);
    writeQueueBytes =
        in.integer("gate.writeQueueBytes", DEFAULT_WRITE_QUEUE_BYTES, 4096, 64 * 1024 * 1024);
    loginTimeoutMs = in.integer("gate.loginTimeoutMs", DEFAULT_LOGIN_TIMEOUT_MS, 100, 600_000);
    heartbeatSeconds = in.integer("gate.heartbeatSeconds", DEFAULT_HEARTBEAT_SECONDS, 1, 3600);
    requestTimeoutMs = in.integer("gate.requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 10, 600_000);
    ackTimeoutMs = in.integer("routing.ackTimeoutMs", DEFAULT_ACK_TIMEOUT_MS, 10, 600_000);
    pushRetries = in.integer("routing.pushRetries", DEFAULT_PUSH_RETRIES, 0, 100);
    c2sTimeoutMs = in.integer("routing.c2sTimeoutMs", DEFAULT_C2S_TIMEOUT_MS, 10, 600_000);
    maxContentBytes =
        in.integer("routing.maxContentBytes", DEFAULT_MAX_CONTENT_BYTES, 1, 1024 * 1024);
    httpHost = in.string("http.host", DEFAULT_HTTP_HOST);
    httpPort = in.integer("http.port", DEFAULT_HTTP_PORT, 1, MAX_PORT);
    bridgeHost = in.string("bridge.host", DEFAULT_BRIDGE_HOST);
    bridgePort = in.integer("bridge.port", DEFAULT_BRIDGE_PORT, 1, MAX_PORT);
    bridgeMaxFrameBytes =
        in.integer("bridge.maxFrameBytes", DEFAULT_BRIDGE_MAX_FRAME_BYTES, 1024, 64 * 1024 * 1024);
    bridgeSecret = in.string("bridge.secret", null);
    dataDir = in.string("data.dir", DEFAULT_DATA_DIR);
    roles = readRoles(in);
    clusterName = in.string("cluster.name", "courier");
    clusterHost = in.string("cluster.host", null);
    clusterPort = in.integer("cluster.port", DEFAULT_CLUSTER_PORT, 1, MAX_PORT);
    clusterMembers = List.copyOf(in.list("cluster.members"));
    joinWaitSeconds = in.integer("cluster.joinWaitSeconds", DEFAULT_JOIN_WAIT_SECONDS, 0, 60);
    gatePublicHost = in.string("gate.publicHost", null);
    drainSeconds = in.integer("gate.drainSeconds", DEFAULT_DRAIN_SECONDS, 0, 3600);
    presenceBackend = in.choice("presence.backend", DEFAULT_PRESENCE, "shared", "redis");
    redisUrl = in.string("presence.redisUrl", DEFAULT_REDIS_URL);
    presenceTtlSeconds = in.integer("presence.ttlSeconds", DEFAULT_PRESENCE_TTL_SECONDS, 3, 86_400);
    storeBackend = in.choice("store.backend", DEFAULT_STORE, "embedded", "mysql");
    mysqlShards = List.copyOf(in.list("store.mysqlShards"));
    if (storeBackend.equals("mysql") && mysqlShards.isEmpty()) {
      throw in.invalid(
          "store.mysqlShards",
          "must name at least one mysql://user:password@host:port/database "
              + "when store.backend is mysql");
    }
    for (String shard : mysqlShards) {
      if (!shard.startsWith("mysql://")) {
        throw in.invalid(
            "store.mysqlShards",
            "must hold mysql:// URIs, got \"" + shard.replaceAll(":[^:@/]*@", ":***@") + "\"");
      }
    }
    adminToken = in.string("ops.adminToken", null);
    opsHost = in.string("ops.host", null);
    opsPort = in.integer("ops.port", 0, 0, MAX_PORT);
    traceEntries = in.integer("ops.traceEntries", DEFAULT_TRACE_ENTRIES, 0, 10_000_000);
    traceRetentionSeconds =
        in.integer("ops.traceRetentionSeconds", DEFAULT_TRACE_RETENTION_SECONDS, 1, 7 * 86_400);
    apps = readApps(in);
    in.rejectUnknownKeys();
  }

  /**
   * Validates {@code json} (the {@code -conf} JSON with the environment already applied).
   *
   * @throws ConfigException naming the first bad key
   */
  public static CourierConfig from(JsonObject json) {
    return new CourierConfig(new ConfigReader(json == null ? new JsonObject() : json));
  }

  /** The defaults and {@code conf}, overridden by the variables of {@code env}. */
  public static CourierConfig from(JsonObject conf, Map<String, String> env) {
    return from(EnvironmentOverlay.apply(conf, env));
  }

  private static Set<String> readRoles(ConfigReader in) {
    List<String> listed = in.list("node.roles");
    if (listed.isEmpty()) {
      return new LinkedHashSet<>(ALL_ROLES);
    }
    Set<String> roles = new LinkedHashSet<>();
    for (String role : listed) {
      if (!ALL_ROLES.contains(role)) {
        throw in.invalid(
            "node.roles",
            "must list roles among " + String.join(", ", ALL_ROLES) + ", got \"" + role + "\"");
      }
      roles.add(role);
    }
    return roles;
  }

  private static Apps readApps(ConfigReader in) {
    JsonObject json = in.object("apps");
    if (json == null) {
      return Apps.development();
    }
    Map<Integer, String> secrets = new TreeMap<>();
    for (String key : json.fieldNames()) {
      String path = "apps." + key;
      int appcode;
      try {
        appcode = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        throw in.invalid(path, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      if (appcode < 1 || appcode > Fields.MAX_APPCODE) {
        throw in.invalid(path, "is not an appcode (an integer 1.." + Fields.MAX_APPCODE + ")");
      }
      Object app = json.getValue(key);
      Object secret = app instanceof JsonObject ? ((JsonObject) app).getValue("secret") : null;
      if (!(secret instanceof String) || ((String) secret).isEmpty()) {
        throw in.invalid(path + ".secret", "must be a non-empty string");
      }
      if (((JsonObject) app).size() != 1) {
        throw in.invalid(path, "has unknown keys; only \"secret\" is allowed");
      }
      secrets.put(appcode, (String) secret);
    }
    if (secrets.isEmpty()) {
      throw in.invalid("apps", "must define at least one appcode");
    }
    return new Apps(secrets);
  }

  /**
   * The complete configuration as JSON, every key present; {@link #from(JsonObject)} reads it back.
   */
  public JsonObject toJson() {
    JsonObject appsJson = new JsonObject();
    apps.secrets()
        .forEach(
            (appcode, secret) ->
                appsJson.put(String.valueOf(appcode), new JsonObject().put("secret", secret)));
    return new JsonObject()
        .put(
            "node",
            new JsonObject().put("id", nodeId).put("roles", new JsonArray(List.copyOf(roles))))
        .put(
            "cluster",
            new JsonObject()
                .put("name", clusterName)
                .put("host", clusterHost)
                .put("port", clusterPort)
                .put("members", new JsonArray(clusterMembers))
                .put("joinWaitSeconds", joinWaitSeconds))
        .put(
            "gate",
            new JsonObject()
                .put("host", gateHost)
                .put("port", gatePort)
                .put("instances", gateInstances)
                .put("maxBodyBytes", maxBodyBytes)
                .put("writeQueueBytes", writeQueueBytes)
                .put("loginTimeoutMs", loginTimeoutMs)
                .put("heartbeatSeconds", heartbeatSeconds)
                .put("requestTimeoutMs", requestTimeoutMs)
                .put("publicHost", gatePublicHost)
                .put("drainSeconds", drainSeconds))
        .put(
            "routing",
            new JsonObject()
                .put("ackTimeoutMs", ackTimeoutMs)
                .put("pushRetries", pushRetries)
                .put("c2sTimeoutMs", c2sTimeoutMs)
                .put("maxContentBytes", maxContentBytes))
        .put("http", new JsonObject().put("host", httpHost).put("port", httpPort))
        .put(
            "bridge",
            new JsonObject()
                .put("host", bridgeHost)
                .put("port", bridgePort)
                .put("maxFrameBytes", bridgeMaxFrameBytes)
                .put("secret", bridgeSecret))
        .put("data", new JsonObject().put("dir", dataDir))
        .put(
            "presence",
            new JsonObject()
                .put("backend", presenceBackend)
                .put("redisUrl", redisUrl)
                .put("ttlSeconds", presenceTtlSeconds))
        .put(
            "store",
            new JsonObject()
                .put("backend", storeBackend)
                .put("mysqlShards", new JsonArray(mysqlShards)))
        .put(
            "ops",
            new JsonObject()
                .put("adminToken", adminToken)
                .put("host", opsHost)
                .put("port", opsPort)
                .put("traceEntries", traceEntries)
                .put("traceRetentionSeconds", traceRetentionSeconds))
        .put("apps", appsJson);
  }

  public int nodeId() {
    return nodeId;
  }

  public String gateHost() {
    return gateHost;
  }

  public int gatePort() {
    return gatePort;
  }

  /** Gate verticle instances; 0 means one per event loop. */
  public int gateInstances() {
    return gateInstances;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public int writeQueueBytes() {
    return writeQueueBytes;
  }

  public Duration loginTimeout() {
    return Duration.ofMillis(loginTimeoutMs);
  }

  public int heartbeatSeconds() {
    return heartbeatSeconds;
  }

  /** A logged-in connection that sends nothing for this long is closed: 3 × heartbeat. */
  public Duration idleTimeout() {
    return Duration.ofSeconds(3L * heartbeatSeconds);
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(requestTimeoutMs);
  }

  public Duration ackTimeout() {
    return Duration.ofMillis(ackTimeoutMs);
  }

  public int pushRetries() {
    return pushRetries;
  }

  public Duration c2sTimeout() {
    return Duration.ofMillis(c2sTimeoutMs);
  }

  public int maxContentBytes() {
    return maxContentBytes;
  }

  public String httpHost() {
    return httpHost;
  }

  public int httpPort() {
    return httpPort;
  }

  public String bridgeHost() {
    return bridgeHost;
  }

  public int bridgePort() {
    return bridgePort;
  }

  public int bridgeMaxFrameBytes() {
    return bridgeMaxFrameBytes;
  }

  /**
   * The shared secret every bridge frame must carry in its {@code courier-secret} header, or null
   * for none.
   */
  public String bridgeSecret() {
    return bridgeSecret;
  }

  public String dataDir() {
    return dataDir;
  }

  /** The roles this node runs: gate, logic (login, routing, offline, business bridge), detector. */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public Set<String> roles() {
    return roles;
  }

  public String clusterName() {
    return clusterName;
  }

  /**
   * The address this member binds and announces for Hazelcast and the clustered event bus, or null
   * for Hazelcast's choice.
   */
  public String clusterHost() {
    return clusterHost;
  }

  public int clusterPort() {
    return clusterPort;
  }

  /**
   * Hazelcast members to join, {@code host:port}; empty keeps those of the Hazelcast configuration
   * file.
   */
  public List<String> clusterMembers() {
    return clusterMembers;
  }

  public int joinWaitSeconds() {
    return joinWaitSeconds;
  }

  /** The address clients should use for this gate (gate list), or null to derive it. */
  public String gatePublicHost() {
    return gatePublicHost;
  }

  public int drainSeconds() {
    return drainSeconds;
  }

  /** {@code shared} or {@code redis}. */
  public String presenceBackend() {
    return presenceBackend;
  }

  public String redisUrl() {
    return redisUrl;
  }

  public int presenceTtlSeconds() {
    return presenceTtlSeconds;
  }

  /** {@code embedded} or {@code mysql}. */
  public String storeBackend() {
    return storeBackend;
  }

  /** The MySQL databases of the store, one URI per shard; shard i is entry i. */
  public List<String> mysqlShards() {
    return mysqlShards;
  }

  /**
   * The bearer token of the admin API ({@code /v1/stats}, {@code /v1/trace}); null: that API is
   * disabled.
   */
  public String adminToken() {
    return adminToken;
  }

  /** Interface of the separate health and metrics server, or null for the HTTP interface's. */
  public String opsHost() {
    return opsHost;
  }

  /** Port of a separate server for /health, /ready and /metrics; 0 serves them on the HTTP port. */
  public int opsPort() {
    return opsPort;
  }

  public int traceEntries() {
    return traceEntries;
  }

  public int traceRetentionSeconds() {
    return traceRetentionSeconds;
  }

  public Apps apps() {
    return apps;
  }
}
