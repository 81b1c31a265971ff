package io.courier.config;

import io.courier.tls.PemBundle;
import io.courier.tls.TlsFileException;
import io.courier.tls.TlsSettings;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
  private final DevelopmentMode developmentMode;

  private CourierConfig(JsonObject json) {
    for (ConfigKey<?> key : ConfigKeys.all()) {
      values.put(key, key.parse(ConfigJson.get(json, key.path())));
    }
    developmentMode = DevelopmentMode.of(apps(), bridgeSecret(), adminToken());
    for (ConfigKey<String> host : DevelopmentMode.LISTENER_HOSTS) {
      values.put(
          host, developmentMode.host(host, get(host), ConfigJson.get(json, host.path()) != null));
    }
    for (ConfigKey<Map<Integer, String>> perAppcode :
        List.of(ConfigKeys.TOKENS_ISSUER, ConfigKeys.TOKENS_AUDIENCE)) {
      for (int appcode : get(perAppcode).keySet()) {
        if (!apps().contains(appcode)) {
          throw perAppcode.invalidAt(
              perAppcode.path() + "." + appcode, "is not an appcode of " + ConfigKeys.APPS.path());
        }
      }
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
    checkTls();
    for (BridgeBusiness business : bridgeBusinesses()) {
      if (business.secret() != null && business.secret().equals(bridgeSecret())) {
        throw ConfigKeys.BRIDGE_BUSINESSES.invalidAt(
            ConfigKeys.BRIDGE_BUSINESSES.path() + "." + business.name() + ".secret",
            "is also " + ConfigKeys.BRIDGE_SECRET.path() + ": a secret names one business");
      }
    }
    validatePush();
    ConfigJson.rejectUnknown(
        json, ConfigKeys.all().stream().map(ConfigKey::path).collect(Collectors.toSet()));
  }

  /** The keys of offline push that only make sense together, and its rules' appcodes. */
  private void validatePush() {
    if (apnsKeyFile() != null && (apnsKeyId() == null || apnsTeamId() == null)) {
      throw ConfigKeys.PUSH_APNS_KEY_FILE.invalid(
          "needs "
              + ConfigKeys.PUSH_APNS_KEY_ID.path()
              + " and "
              + ConfigKeys.PUSH_APNS_TEAM_ID.path());
    }
    if (webhookUrl() != null && webhookSecret() == null) {
      throw ConfigKeys.PUSH_WEBHOOK_URL.invalid("needs " + ConfigKeys.PUSH_WEBHOOK_SECRET.path());
    }
    for (int appcode : pushRules().byAppcode().keySet()) {
      if (!apps().contains(appcode)) {
        throw ConfigKeys.PUSH_RULES.invalidAt(
            ConfigKeys.PUSH_RULES.path() + "." + appcode,
            "is not an appcode of " + ConfigKeys.APPS.path());
      }
    }
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

  public int c2sOutboxMaxPerSender() {
    return get(ConfigKeys.ROUTING_C2S_OUTBOX_MAX_PER_SENDER);
  }

  public int groupMaxMembers() {
    return get(ConfigKeys.ROUTING_GROUP_MAX_MEMBERS);
  }

  public Duration c2sOutboxRetention() {
    return Duration.ofDays(get(ConfigKeys.ROUTING_C2S_OUTBOX_RETENTION_DAYS));
  }

  public Duration c2sOutboxRetryMax() {
    return Duration.ofMillis(get(ConfigKeys.ROUTING_C2S_OUTBOX_RETRY_MAX_MS));
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

  public List<String> wsAllowedOrigins() {
    return get(ConfigKeys.HTTP_WS_ALLOWED_ORIGINS);
  }

  public List<String> trustedProxies() {
    return get(ConfigKeys.HTTP_TRUSTED_PROXIES);
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

  /** The businesses of the bridge, besides the one of {@link #bridgeSecret()}. */
  public List<BridgeBusiness> bridgeBusinesses() {
    return get(ConfigKeys.BRIDGE_BUSINESSES);
  }

  /** Addresses one bridge connection may have registered at once. */
  public int bridgeMaxRegistrations() {
    return get(ConfigKeys.BRIDGE_MAX_REGISTRATIONS);
  }

  /** A bridge connection that sends no frame for this long is closed. */
  public Duration bridgeIdleTimeout() {
    return Duration.ofSeconds(get(ConfigKeys.BRIDGE_IDLE_SECONDS));
  }

  /**
   * The secret that signs messages to internal addresses between the nodes of a cluster, or null.
   */
  public String clusterSecret() {
    return get(ConfigKeys.CLUSTER_SECRET);
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
   * for Hazelcast's choice (never null in development mode: loopback).
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

  public int gateFloodCooldownSeconds() {
    return get(ConfigKeys.GATE_FLOOD_COOLDOWN_SECONDS);
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
  /** The user systems, each with only its configured appcodes ({@link Systems#within}). */
  public Systems systems() {
    return get(ConfigKeys.ROUTING_SYSTEMS).within(apps()::contains);
  }

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

  /**
   * Whether a published secret is in use; if so every listener's host above is loopback ({@link
   * DevelopmentMode}).
   */
  public DevelopmentMode developmentMode() {
    return developmentMode;
  }

  /** Per appcode, the {@code iss} its tokens must carry; appcodes not in it accept any. */
  public Map<Integer, String> tokenIssuers() {
    return get(ConfigKeys.TOKENS_ISSUER);
  }

  /** Per appcode, the value its tokens' {@code aud} must hold; appcodes not in it accept any. */
  public Map<Integer, String> tokenAudiences() {
    return get(ConfigKeys.TOKENS_AUDIENCE);
  }

  /** Revocations the cluster keeps at once; one more is refused. */
  public int maxRevocations() {
    return get(ConfigKeys.TOKENS_MAX_REVOCATIONS);
  }

  /** The gate's TLS, or null when the gate port is plain TCP. */
  public TlsSettings gateTls() {
    return serverTls("gate", ConfigKeys.GATE_TLS_CERT, ConfigKeys.GATE_TLS_KEY);
  }

  /** A second, plain port of the TLS gate during a migration, or null for none. */
  public Integer gatePlainPort() {
    return get(ConfigKeys.GATE_PLAIN_PORT);
  }

  /** The public HTTP server's TLS, or null for plain HTTP. */
  public TlsSettings httpTls() {
    return serverTls("http", ConfigKeys.HTTP_TLS_CERT, ConfigKeys.HTTP_TLS_KEY);
  }

  /** The admin listener's TLS, or null for plain HTTP. */
  public TlsSettings adminTls() {
    return serverTls("admin", ConfigKeys.OPS_ADMIN_TLS_CERT, ConfigKeys.OPS_ADMIN_TLS_KEY);
  }

  /** The bridge's TLS with its client certificates, if any; null for plain TCP. */
  public TlsSettings bridgeTls() {
    String cert = get(ConfigKeys.BRIDGE_TLS_CERT);
    if (cert == null) {
      return null;
    }
    String ca = get(ConfigKeys.BRIDGE_TLS_CLIENT_CA);
    ClientAuth auth =
        ca == null
            ? ClientAuth.NONE
            : get(ConfigKeys.BRIDGE_TLS_CLIENT_AUTH) == ClientAuthMode.REQUIRED
                ? ClientAuth.REQUIRED
                : ClientAuth.REQUEST;
    return new TlsSettings(
        "bridge",
        Path.of(cert),
        Path.of(get(ConfigKeys.BRIDGE_TLS_KEY)),
        ca == null ? null : Path.of(ca),
        auth);
  }

  /**
   * The clustered event bus's TLS, whose client CA is the cluster's CA and whose client
   * certificates are required; null for a plain event bus.
   */
  public TlsSettings clusterTls() {
    String cert = get(ConfigKeys.CLUSTER_TLS_CERT);
    return cert == null
        ? null
        : new TlsSettings(
            "cluster",
            Path.of(cert),
            Path.of(get(ConfigKeys.CLUSTER_TLS_KEY)),
            Path.of(get(ConfigKeys.CLUSTER_TLS_CA)),
            ClientAuth.REQUIRED);
  }

  /** How often listeners look at their PEM files; zero: never. */
  public Duration tlsReloadInterval() {
    return Duration.ofSeconds(get(ConfigKeys.TLS_RELOAD_SECONDS));
  }

  private TlsSettings serverTls(String listener, ConfigKey<String> cert, ConfigKey<String> key) {
    String certPath = get(cert);
    return certPath == null
        ? null
        : TlsSettings.serverOnly(listener, Path.of(certPath), Path.of(get(key)));
  }

  /**
   * Every listener's certificate comes with its key, and their files serve: read, PEM, and the key
   * the certificate's. The files are read again when the listeners start.
   */
  private void checkTls() {
    pair(ConfigKeys.GATE_TLS_CERT, ConfigKeys.GATE_TLS_KEY);
    pair(ConfigKeys.HTTP_TLS_CERT, ConfigKeys.HTTP_TLS_KEY);
    pair(ConfigKeys.OPS_ADMIN_TLS_CERT, ConfigKeys.OPS_ADMIN_TLS_KEY);
    pair(ConfigKeys.BRIDGE_TLS_CERT, ConfigKeys.BRIDGE_TLS_KEY);
    pair(ConfigKeys.CLUSTER_TLS_CERT, ConfigKeys.CLUSTER_TLS_KEY);
    pair(ConfigKeys.CLUSTER_TLS_CERT, ConfigKeys.CLUSTER_TLS_CA);
    if (get(ConfigKeys.BRIDGE_TLS_CLIENT_CA) != null && get(ConfigKeys.BRIDGE_TLS_CERT) == null) {
      throw ConfigKeys.BRIDGE_TLS_CLIENT_CA.invalid(
          "needs " + ConfigKeys.BRIDGE_TLS_CERT.path() + ": client certificates need TLS");
    }
    Integer plainPort = gatePlainPort();
    if (plainPort != null && gateTls() == null) {
      throw ConfigKeys.GATE_PLAIN_PORT.invalid(
          "needs " + ConfigKeys.GATE_TLS_CERT.path() + ": the gate port is plain already");
    }
    if (plainPort != null && plainPort == gatePort()) {
      throw ConfigKeys.GATE_PLAIN_PORT.invalid("must differ from " + ConfigKeys.GATE_PORT.path());
    }
    readable(gateTls(), ConfigKeys.GATE_TLS_CERT, ConfigKeys.GATE_TLS_KEY, null);
    readable(httpTls(), ConfigKeys.HTTP_TLS_CERT, ConfigKeys.HTTP_TLS_KEY, null);
    readable(adminTls(), ConfigKeys.OPS_ADMIN_TLS_CERT, ConfigKeys.OPS_ADMIN_TLS_KEY, null);
    readable(
        bridgeTls(),
        ConfigKeys.BRIDGE_TLS_CERT,
        ConfigKeys.BRIDGE_TLS_KEY,
        ConfigKeys.BRIDGE_TLS_CLIENT_CA);
    readable(
        clusterTls(),
        ConfigKeys.CLUSTER_TLS_CERT,
        ConfigKeys.CLUSTER_TLS_KEY,
        ConfigKeys.CLUSTER_TLS_CA);
  }

  /** {@code second} is set when {@code first} is, and only then. */
  private void pair(ConfigKey<String> first, ConfigKey<String> second) {
    if ((get(first) == null) != (get(second) == null)) {
      ConfigKey<String> set = get(first) == null ? second : first;
      ConfigKey<String> missing = set == first ? second : first;
      throw set.invalid(
          "is set without " + missing.path() + " (environment " + missing.variable() + ")");
    }
  }

  private static void readable(
      TlsSettings settings, ConfigKey<String> cert, ConfigKey<String> key, ConfigKey<String> ca) {
    if (settings == null) {
      return;
    }
    try {
      PemBundle.read(settings);
    } catch (TlsFileException e) {
      ConfigKey<String> at =
          switch (e.part()) {
            case CERT -> cert;
            case KEY -> key;
            case CLIENT_CA -> ca;
          };
      throw at.invalid(e.getMessage());
    }
  }

  /** Per receiver appcode and msgtype, whether a waiting message wakes the app (push.md). */
  public PushRules pushRules() {
    return get(ConfigKeys.PUSH_RULES);
  }

  public String pushTitle() {
    return get(ConfigKeys.PUSH_TITLE);
  }

  /** The window in which a receiver's notifications fold into one; zero: none fold. */
  public Duration pushCollapse() {
    return Duration.ofSeconds(get(ConfigKeys.PUSH_COLLAPSE_SECONDS));
  }

  public int pushQueueSize() {
    return get(ConfigKeys.PUSH_QUEUE_SIZE);
  }

  public int notifyRetries() {
    return get(ConfigKeys.PUSH_SEND_RETRIES);
  }

  public Duration notifyRetryBase() {
    return Duration.ofMillis(get(ConfigKeys.PUSH_RETRY_BASE_MS));
  }

  /** How long a provider keeps a notification for a phone that is off; zero: not at all. */
  public Duration pushExpiration() {
    return Duration.ofSeconds(get(ConfigKeys.PUSH_EXPIRATION_SECONDS));
  }

  public Duration pushRequestTimeout() {
    return Duration.ofMillis(get(ConfigKeys.PUSH_REQUEST_TIMEOUT_MS));
  }

  /** PEM file of the authorities provider certificates must chain to, or null for the JVM's. */
  public String pushCaFile() {
    return get(ConfigKeys.PUSH_CA_FILE);
  }

  public String apnsUrl() {
    return get(ConfigKeys.PUSH_APNS_URL);
  }

  /** The APNs {@code .p8} key, or null: APNs is off. */
  public String apnsKeyFile() {
    return get(ConfigKeys.PUSH_APNS_KEY_FILE);
  }

  public String apnsKeyId() {
    return get(ConfigKeys.PUSH_APNS_KEY_ID);
  }

  public String apnsTeamId() {
    return get(ConfigKeys.PUSH_APNS_TEAM_ID);
  }

  /** The topic of registrations that name none, or null. */
  public String apnsTopic() {
    return get(ConfigKeys.PUSH_APNS_TOPIC);
  }

  public int apnsConcurrency() {
    return get(ConfigKeys.PUSH_APNS_CONCURRENCY);
  }

  public int apnsRatePerSecond() {
    return get(ConfigKeys.PUSH_APNS_RATE_PER_SECOND);
  }

  public String fcmUrl() {
    return get(ConfigKeys.PUSH_FCM_URL);
  }

  /** The Firebase service account JSON, or null: FCM is off. */
  public String fcmServiceAccountFile() {
    return get(ConfigKeys.PUSH_FCM_SERVICE_ACCOUNT_FILE);
  }

  public int fcmConcurrency() {
    return get(ConfigKeys.PUSH_FCM_CONCURRENCY);
  }

  public int fcmRatePerSecond() {
    return get(ConfigKeys.PUSH_FCM_RATE_PER_SECOND);
  }

  /** The webhook's URL, or null: webhook is off. */
  public String webhookUrl() {
    return get(ConfigKeys.PUSH_WEBHOOK_URL);
  }

  public String webhookSecret() {
    return get(ConfigKeys.PUSH_WEBHOOK_SECRET);
  }

  public int webhookConcurrency() {
    return get(ConfigKeys.PUSH_WEBHOOK_CONCURRENCY);
  }

  public int webhookRatePerSecond() {
    return get(ConfigKeys.PUSH_WEBHOOK_RATE_PER_SECOND);
  }
}
