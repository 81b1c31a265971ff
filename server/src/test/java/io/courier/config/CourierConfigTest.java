package io.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CourierConfigTest {

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
    assertEquals(
        java.util.List.of(101, 102, 103, 201, 301),
        java.util.List.copyOf(config.apps().secrets().keySet()));
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
        CourierConfig.from(null, Map.of("COURIER_APPS", "101=s3cret-one,201=s3cret=two"));
    assertEquals("s3cret-one", config.apps().secret(101));
    assertEquals("s3cret=two", config.apps().secret(201));
    assertEquals(2, config.apps().secrets().size());
    assertTrue(config.apps().firstWithDevSecret().isEmpty());
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
        CourierConfig.from(null, Map.of("COURIER_GATE_PORT", "9300", "COURIER_APPS", "7=x"));
    CourierConfig again = CourierConfig.from(config.toJson());
    assertEquals(config.toJson(), again.toJson());
    assertEquals(9300, again.gatePort());
  }
}
