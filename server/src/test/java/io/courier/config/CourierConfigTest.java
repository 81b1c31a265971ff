package io.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CourierConfigTest {
  /** Secrets of 32 bytes and more; the second holds a '=', as secrets may. */
  static final String SECRET_ONE = "k7P2vQx9LmR4tW8zB3nF6hJ1cY5sD0gA";

  static final String SECRET_TWO = "Zq4=Xw8mN2pL6rT0vB5yH9kC3fG7jS1d";

  @Test
  void defaultsApplyWithoutConfiguration() {
    CourierConfig config = CourierConfig.from(null, Map.of());
    assertEquals(9000, config.gatePort());
    assertEquals(8080, config.httpPort());
    assertEquals(7000, config.bridgePort());
    assertEquals("127.0.0.1", config.bridgeHost());
    assertEquals("data", config.dataDir());
    assertEquals(65536, config.maxBodyBytes());
    assertEquals(10_000, config.loginTimeout().toMillis());
    assertEquals(30, config.heartbeatSeconds());
    assertEquals(90, config.idleTimeout().toSeconds());
    assertEquals(Apps.DEV_SECRET, config.apps().secret(101));
    assertEquals(List.of(101, 102, 103, 201, 301), List.copyOf(config.apps().secrets().keySet()));
    assertEquals(EnumSet.allOf(Role.class), config.roles());
    assertEquals(PresenceBackend.SHARED, config.presenceBackend());
    assertEquals(StoreBackend.EMBEDDED, config.storeBackend());
  }

  @Test
  void confOverridesDefaultsAndEnvironmentOverridesConf() {
    JsonObject conf =
        new JsonObject()
            .put("gate", new JsonObject().put("port", 9100).put("heartbeatSeconds", 20))
            .put("data", new JsonObject().put("dir", "/var/lib/courier"));
    CourierConfig config =
        CourierConfig.from(
            conf,
            Map.of(
                "COURIER_GATE_PORT", "9200",
                "COURIER_HTTP_PORT", "8181",
                "COURIER_BRIDGE_PORT", "7100",
                "COURIER_DATA_DIR", "/tmp/courier"));
    assertEquals(9200, config.gatePort());
    assertEquals(20, config.heartbeatSeconds());
    assertEquals(8181, config.httpPort());
    assertEquals(7100, config.bridgePort());
    assertEquals("/tmp/courier", config.dataDir());
  }

  @Test
  void appsFromTheEnvironmentReplaceTheDevelopmentApps() {
    CourierConfig config =
        CourierConfig.from(
            null, Map.of("COURIER_APPS", "101=" + SECRET_ONE + ",201=" + SECRET_TWO));
    assertEquals(SECRET_ONE, config.apps().secret(101));
    assertEquals(SECRET_TWO, config.apps().secret(201));
    assertEquals(2, config.apps().secrets().size());
    assertTrue(config.apps().withPublishedSecret().isEmpty());
    assertFalse(config.developmentMode().active());
  }

  @Test
  void invalidEnvironmentValueNamesKeyAndVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> CourierConfig.from(null, Map.of("COURIER_GATE_PORT", "nine")));
    assertEquals(
        "invalid configuration: gate.port (environment COURIER_GATE_PORT) must be an integer in "
            + "1..65535, got \"nine\"",
        e.getMessage());
  }

  @Test
  void outOfRangeValueNamesKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                CourierConfig.from(
                    new JsonObject().put("gate", new JsonObject().put("heartbeatSeconds", 0))));
    assertTrue(
        e.getMessage().startsWith("invalid configuration: gate.heartbeatSeconds"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                CourierConfig.from(
                    new JsonObject().put("gate", new JsonObject().put("prot", 9000))));
    assertEquals("invalid configuration: unknown key gate.prot", e.getMessage());
  }

  @Test
  void badAppsAreRefusedWithTheirKey() {
    assertEquals(
        "invalid configuration: apps.abc (environment COURIER_APPS) is not an appcode (an integer 1..65535)",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject()
                            .put(
                                "apps",
                                new JsonObject().put("abc", new JsonObject().put("secret", "x")))))
            .getMessage());
    assertEquals(
        "invalid configuration: apps.101.secret (environment COURIER_APPS) must be a non-empty string",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject()
                            .put(
                                "apps",
                                new JsonObject().put("101", new JsonObject().put("secret", "")))))
            .getMessage());
    assertThrows(
        ConfigException.class, () -> CourierConfig.from(null, Map.of("COURIER_APPS", "101")));
  }

  @Test
  void toJsonReadsBackToTheSameConfiguration() {
    CourierConfig config =
        CourierConfig.from(
            null, Map.of("COURIER_GATE_PORT", "9300", "COURIER_APPS", "7=" + SECRET_ONE));
    CourierConfig again = CourierConfig.from(config.toJson());
    assertEquals(config.toJson(), again.toJson());
    assertEquals(9300, again.gatePort());
  }

  @Test
  void everyKeyIsSetByItsVariableAndWrittenBackAtItsPath() {
    Map<String, String> env =
        Map.of(
            "COURIER_NODE_ID", "7",
            "COURIER_ROLES", "gate, detector",
            "COURIER_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701",
            "COURIER_PRESENCE", "redis",
            "COURIER_STORE", "mysql",
            "COURIER_MYSQL_SHARDS", "mysql://u:p@db0/c0,mysql://u:p@db1/c1",
            "COURIER_DATA_DIR", "/var/lib/courier",
            "COURIER_BRIDGE_SECRET", SECRET_TWO,
            "COURIER_ADMIN_PORT", "9090");
    CourierConfig config = CourierConfig.from(null, env);
    assertEquals(7, config.nodeId());
    assertEquals(Set.of(Role.GATE, Role.DETECTOR), config.roles());
    assertTrue(config.hasRole(Role.GATE));
    assertFalse(config.hasRole(Role.LOGIC));
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.clusterMembers());
    assertEquals(PresenceBackend.REDIS, config.presenceBackend());
    assertEquals(StoreBackend.MYSQL, config.storeBackend());
    assertEquals(List.of("mysql://u:p@db0/c0", "mysql://u:p@db1/c1"), config.mysqlShards());
    assertEquals(SECRET_TWO, config.bridgeSecret());
    assertEquals(9090, config.adminPort());

    JsonObject json = config.toJson();
    assertEquals(
        new JsonArray(List.of("gate", "detector")),
        json.getJsonObject("node").getJsonArray("roles"));
    assertEquals("redis", json.getJsonObject("presence").getString("backend"));
    assertEquals("mysql", json.getJsonObject("store").getString("backend"));
    for (ConfigKey<?> key : ConfigKeys.all()) {
      String[] path = key.path().split("\\.");
      JsonObject parent = json;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent.getJsonObject(path[i]);
      }
      assertTrue(parent.containsKey(path[path.length - 1]), key + " is missing from toJson");
    }
    assertEquals(json, CourierConfig.from(json).toJson());
  }

  @Test
  void badChoicesListTheAcceptedValues() {
    assertEquals(
        "invalid configuration: node.roles (environment COURIER_ROLES) must list some of "
            + "gate, logic, detector, got \"router\"",
        refused(Map.of("COURIER_ROLES", "gate,router")));
    assertEquals(
        "invalid configuration: presence.backend (environment COURIER_PRESENCE) must be one of "
            + "shared, redis, got \"Redis\"",
        refused(Map.of("COURIER_PRESENCE", "Redis")));
    assertEquals(
        "invalid configuration: store.backend (environment COURIER_STORE) must be one of "
            + "embedded, mysql, got 3",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject().put("store", new JsonObject().put("backend", 3))))
            .getMessage());
  }

  @Test
  void anEmptyRoleListMeansAllRoles() {
    assertEquals(
        EnumSet.allOf(Role.class), CourierConfig.from(null, Map.of("COURIER_ROLES", "")).roles());
  }

  @Test
  void mysqlNeedsShardsAndShardsMustBeMysqlUris() {
    assertEquals(
        "invalid configuration: store.mysqlShards (environment COURIER_MYSQL_SHARDS) must name at "
            + "least one mysql://user:password@host:port/database when store.backend is mysql",
        refused(Map.of("COURIER_STORE", "mysql")));
    assertEquals(
        "invalid configuration: store.mysqlShards (environment COURIER_MYSQL_SHARDS) must hold "
            + "mysql:// URIs, got \"postgres://u:***@db/c\"",
        refused(Map.of("COURIER_STORE", "mysql", "COURIER_MYSQL_SHARDS", "postgres://u:pw@db/c")));
  }

  @Test
  void unknownKeysAreRefusedAtAnyDepthButEmptyObjectsPass() {
    assertEquals(
        "invalid configuration: unknown key node.rolls",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject().put("node", new JsonObject().put("rolls", "gate"))))
            .getMessage());
    assertEquals(
        "invalid configuration: unknown key gates",
        assertThrows(
                ConfigException.class,
                () -> CourierConfig.from(new JsonObject().put("gates", 9000)))
            .getMessage());
    assertEquals(
        9000, CourierConfig.from(new JsonObject().put("gate", new JsonObject())).gatePort());
  }

  @Test
  void theExampleConfigurationIsValid() throws IOException {
    String root = System.getProperty("courier.root", "");
    Path example = (root.isBlank() ? Path.of("..") : Path.of(root)).resolve("conf/courier.json");
    CourierConfig config = CourierConfig.from(new JsonObject(Files.readString(example)));
    assertEquals(9000, config.gatePort());
    assertEquals(
        config.apps().secrets().keySet().stream().toList(),
        config.apps().withPublishedSecret(),
        "its placeholders count as published: run as it is, the node stays on loopback");
    assertEquals("127.0.0.1", config.gateHost());
  }

  private static String refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> CourierConfig.from(null, env)).getMessage();
  }
}
