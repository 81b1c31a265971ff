package io.courier.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node's configuration: typed, validated, with the defaults of {@link ConfigKeys}. Sources,
 * lowest to highest: those defaults, the {@code -conf} JSON, environment variables ({@link
 * EnvironmentOverlay}).
 *
 * <p>Built once at start-up by {@link #from(JsonObject)}; verticles receive it (or its {@link
 * #toJson()} form) and never read the environment themselves.
 */
public final class CourierConfig {
  private final Map<ConfigKey<?>, Object> values = new HashMap<>();

  private CourierConfig(JsonObject json) {
    for (ConfigKey<?> key : ConfigKeys.all()) {
      values.put(key, key.parse(ConfigJson.get(json, key.path())));
    }
    if (storeBackend() == StoreBackend.MYSQL && mysqlShards().isEmpty()) {
      throw ConfigKeys.STORE_MYSQL_SHARDS.invalid(
          "must name at least one mysql://user:password@host:port/database when "
              + ConfigKeys.STORE_BACKEND.path()
              + " is mysql");
    }
    for (int appcode : metricMsgtypes().byAppcode().keySet()) {
      if (!apps().contains(appcode)) {
        throw ConfigKeys.OPS_METRIC_MSGTYPES.invalidAt(
            ConfigKeys.OPS_METRIC_MSGTYPES.path() + "." + appcode,
            "is not an appcode of " + ConfigKeys.APPS.path());
      }
    }
    ConfigJson.rejectUnknown(
        json, ConfigKeys.all().stream().map(ConfigKey::path).collect(Collectors.toSet()));
  }

  /**
   * Validates {@code json} (the {@code -conf} JSON with the environment already applied).
   *
   * @throws ConfigException naming the first bad key
   */
  public static CourierConfig from(JsonObject json) {
    return new CourierConfig(json == null ? new JsonObject() : json);
  }

  /** The defaults and {@code conf}, overridden by the variables of {@code env}. */
  public static CourierConfig from(JsonObject conf, Map<String, String> env) {
    return from(EnvironmentOverlay.apply(conf, env));
  }

  /**
   * The complete configuration as JSON, every key present (null when unset); {@link
   * #from(JsonObject)} reads it back.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (ConfigKey<?> key : ConfigKeys.all()) {
      putJson(json, key);
    }
    return json;
  }

  private <T> void putJson(JsonObject json, ConfigKey<T> key) {
    ConfigJson.put(json, key.path(), key.toJson(get(key)));
  }

  /** The value of {@code key}: its type's parse of the JSON, or its default. */
  @SuppressWarnings("unchecked")
  private <T> T get(ConfigKey<T> key) {
    return (T) values.get(key);
  }

  public int nodeId() {
    return get(ConfigKeys.NODE_ID);
  }

  public String gateHost() {
    return get(ConfigKeys.GATE_HOST);
  }

  public int gatePort() {
    return get(ConfigKeys.GATE_PORT);
  }

  /** Gate verticle instances; 0 means one per event loop. */
  public int gateInstances() {
    return get(ConfigKeys.GATE_INSTANCES);
  }

  public int maxBodyBytes() {
    return get(ConfigKeys.GATE_MAX_BODY_BYTES);
  }

  public int writeQueueBytes() {
    return get(ConfigKeys.GATE_WRITE_QUEUE_BYTES);
  }

  public int maxPendingBytes() {
    return get(ConfigKeys.GATE_MAX_PENDING_BYTES);
  }

  public Duration writeStall() {
    return Duration.ofSeconds(get(ConfigKeys.GATE_WRITE_STALL_SECONDS));
  }

  public int maxUnackedBytes() {
    return get(ConfigKeys.GATE_MAX_UNACKED_BYTES);
  }

  public int maxInflight() {
    return get(ConfigKeys.GATE_MAX_INFLIGHT);
  }

  public int maxFramesPerSecond() {
    return get(ConfigKeys.GATE_MAX_FRAMES_PER_SECOND);
  }

  public int frameBurst() {
    return get(ConfigKeys.GATE_FRAME_BURST);
  }

  public int c2cRatePerSender() {
    return get(ConfigKeys.GATE_C2C_RATE_PER_SENDER);
  }

  public int c2cBurst() {
    return get(ConfigKeys.GATE_C2C_BURST);
  }

  public Duration loginTimeout() {
    return Duration.ofMillis(get(ConfigKeys.GATE_LOGIN_TIMEOUT_MS));
  }

  public int heartbeatSeconds() {
    return get(ConfigKeys.GATE_HEARTBEAT_SECONDS);
  }

  /** A logged-in connection that sends nothing for this long is closed: 3 × heartbeat. */
  public Duration idleTimeout() {
    return Duration.ofSeconds(3L * heartbeatSeconds());
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(get(ConfigKeys.GATE_REQUEST_TIMEOUT_MS));
  }

  public Duration ackTimeout() {
    return Duration.ofMillis(get(ConfigKeys.ROUTING_ACK_TIMEOUT_MS));
  }

  public int pushRetries() {
    return get(ConfigKeys.ROUTING_PUSH_RETRIES);
  }

  public Duration c2sTimeout() {
    return Duration.ofMillis(get(ConfigKeys.ROUTING_C2S_TIMEOUT_MS));
  }

  public int maxContentBytes() {
    return get(ConfigKeys.ROUTING_MAX_CONTENT_BYTES);
  }

  public String httpHost() {
    return get(ConfigKeys.HTTP_HOST);
  }

  public int httpPort() {
    return get(ConfigKeys.HTTP_PORT);
  }

  public String bridgeHost() {
    return get(ConfigKeys.BRIDGE_HOST);
  }

  public int bridgePort() {
    return get(ConfigKeys.BRIDGE_PORT);
  }

  public int bridgeMaxFrameBytes() {
    return get(ConfigKeys.BRIDGE_MAX_FRAME_BYTES);
  }

  /**
   * The shared secret every bridge frame must carry in its {@code courier-secret} header, or null
   * for none.
   */
  public String bridgeSecret() {
    return get(ConfigKeys.BRIDGE_SECRET);
  }

  public String dataDir() {
    return get(ConfigKeys.DATA_DIR);
  }

  public boolean hasRole(Role role) {
    return roles().contains(role);
  }

  /** The roles this node runs, never empty. */
  public Set<Role> roles() {
    return get(ConfigKeys.NODE_ROLES);
  }

  public String clusterName() {
    return get(ConfigKeys.CLUSTER_NAME);
  }

  /**
   * The address this member binds and announces for Hazelcast and the clustered event bus, or null
   * for Hazelcast's choice.
   */
  public String clusterHost() {
    return get(ConfigKeys.CLUSTER_HOST);
  }

  public int clusterPort() {
    return get(ConfigKeys.CLUSTER_PORT);
  }

  /**
   * Hazelcast members to join, {@code host:port}; empty keeps those of the Hazelcast configuration
   * file.
   */
  public List<String> clusterMembers() {
    return get(ConfigKeys.CLUSTER_MEMBERS);
  }

  public int joinWaitSeconds() {
    return get(ConfigKeys.CLUSTER_JOIN_WAIT_SECONDS);
  }

  /** The address clients should use for this gate (gate list), or null to derive it. */
  public String gatePublicHost() {
    return get(ConfigKeys.GATE_PUBLIC_HOST);
  }

  public int drainSeconds() {
    return get(ConfigKeys.GATE_DRAIN_SECONDS);
  }

  public int gateMaxConnections() {
    return get(ConfigKeys.GATE_MAX_CONNECTIONS);
  }

  public int gateMaxConnectionsPerIp() {
    return get(ConfigKeys.GATE_MAX_CONNECTIONS_PER_IP);
  }

  public int gateAcceptRatePerIp() {
    return get(ConfigKeys.GATE_ACCEPT_RATE_PER_IP);
  }

  public int gateLoginRatePerIp() {
    return get(ConfigKeys.GATE_LOGIN_RATE_PER_IP);
  }

  public int gateLoginRatePerUid() {
    return get(ConfigKeys.GATE_LOGIN_RATE_PER_UID);
  }

  public int gateLoginFailuresBeforeBan() {
    return get(ConfigKeys.GATE_LOGIN_FAILURES_BEFORE_BAN);
  }

  public int gateLoginBanSeconds() {
    return get(ConfigKeys.GATE_LOGIN_BAN_SECONDS);
  }

  public ProxyProtocol gateProxyProtocol() {
    return get(ConfigKeys.GATE_PROXY_PROTOCOL);
  }

  public PresenceBackend presenceBackend() {
    return get(ConfigKeys.PRESENCE_BACKEND);
  }

  public String redisUrl() {
    return get(ConfigKeys.PRESENCE_REDIS_URL);
  }

  public int presenceTtlSeconds() {
    return get(ConfigKeys.PRESENCE_TTL_SECONDS);
  }

  public StoreBackend storeBackend() {
    return get(ConfigKeys.STORE_BACKEND);
  }

  /** The MySQL databases of the store, one URI per shard; shard i is entry i. */
  public List<String> mysqlShards() {
    return get(ConfigKeys.STORE_MYSQL_SHARDS);
  }

  /** Most offline messages waiting for one receiver; 0: no limit. */
  public int offlineMaxPerUser() {
    return get(ConfigKeys.STORE_OFFLINE_MAX_PER_USER);
  }

  /** How long an offline message waits before the purge deletes it; zero: kept. */
  public Duration offlineRetention() {
    return Duration.ofDays(get(ConfigKeys.STORE_OFFLINE_RETENTION_DAYS));
  }

  /** How long a history row is kept; zero: forever. */
  public Duration historyRetention() {
    return Duration.ofDays(get(ConfigKeys.STORE_HISTORY_RETENTION_DAYS));
  }

  /** MiB of the embedded store's block cache. */
  public int storeBlockCacheMb() {
    return get(ConfigKeys.STORE_BLOCK_CACHE_MB);
  }

  /** MiB of the embedded store's memtables together. */
  public int storeWriteBufferMb() {
    return get(ConfigKeys.STORE_WRITE_BUFFER_MB);
  }

  /**
   * The bearer token of the admin API ({@code /v1/stats}, {@code /v1/trace}); null: that API is
   * disabled.
   */
  public String adminToken() {
    return get(ConfigKeys.OPS_ADMIN_TOKEN);
  }

  /** Interface of the admin listener (/metrics, /v1/stats, /v1/trace). */
  public String adminHost() {
    return get(ConfigKeys.OPS_ADMIN_HOST);
  }

  public int adminPort() {
    return get(ConfigKeys.OPS_ADMIN_PORT);
  }

  /** Per receiver appcode, the msgtypes counted under their own number; the others as "other". */
  public MetricMsgtypes metricMsgtypes() {
    return get(ConfigKeys.OPS_METRIC_MSGTYPES);
  }

  public int traceEntries() {
    return get(ConfigKeys.OPS_TRACE_ENTRIES);
  }

  public int traceRetentionSeconds() {
    return get(ConfigKeys.OPS_TRACE_RETENTION_SECONDS);
  }

  public Apps apps() {
    return get(ConfigKeys.APPS);
  }
}
