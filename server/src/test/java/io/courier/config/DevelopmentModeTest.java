package io.courier.config;

import static io.courier.config.CourierConfigTest.SECRET_ONE;
import static io.courier.config.CourierConfigTest.SECRET_TWO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Safe defaults (docs/security.md, secrets and development mode): secrets shorter than 32 bytes
 * stop the start-up, and with a published secret in use every listener binds loopback — a default
 * host is moved there, an explicit other one is refused.
 */
class DevelopmentModeTest {
  private static final String REAL_APPS = "101=" + SECRET_ONE + ",201=" + SECRET_TWO;

  @Test
  void secretsShorterThan32BytesAreRefusedWithoutShowingThem() {
    String rule =
        "a secret needs at least 32 bytes (256 bits, RFC 7518 section 3.2); generate one with:"
            + " openssl rand -base64 32";
    assertEquals(
        "invalid configuration: apps.201.secret (environment COURIER_APPS) is 18 bytes long: "
            + rule,
        refused(Map.of("COURIER_APPS", "101=" + SECRET_ONE + ",201=courier-dev-secret")));
    assertEquals(
        "invalid configuration: bridge.secret (environment COURIER_BRIDGE_SECRET) is 16 bytes"
            + " long: "
            + rule,
        refused(Map.of("COURIER_APPS", REAL_APPS, "COURIER_BRIDGE_SECRET", "change-me-bridge")));
    assertEquals(
        "invalid configuration: ops.adminToken (environment COURIER_ADMIN_TOKEN) is 31 bytes"
            + " long: "
            + rule,
        refused(Map.of("COURIER_ADMIN_TOKEN", SECRET_ONE.substring(1))));
    // bytes, not characters: 16 two-byte characters are 32 bytes
    assertEquals(
        "é".repeat(16),
        CourierConfig.from(null, Map.of("COURIER_ADMIN_TOKEN", "é".repeat(16))).adminToken());
  }

  @Test
  void theBuiltInAppsAreDevelopmentModeAndMoveDefaultHostsToLoopback() {
    CourierConfig config = CourierConfig.from(null, Map.of());

    assertTrue(config.developmentMode().active());
    assertEquals("apps 101, 102, 103, 201, 301", config.developmentMode().publishedSecrets());
    assertEquals("127.0.0.1", config.gateHost());
    assertEquals("127.0.0.1", config.httpHost());
    assertEquals("127.0.0.1", config.adminHost());
    assertEquals("127.0.0.1", config.bridgeHost());
    assertNull(config.clusterHost(), "unset, the cluster binds loopback anyway (HazelcastSetup)");
    assertEquals(config.toJson(), CourierConfig.from(config.toJson()).toJson(), "reads back");
  }

  @Test
  void realSecretsKeepTheDefaultsOfEveryInterface() {
    CourierConfig config = CourierConfig.from(null, Map.of("COURIER_APPS", REAL_APPS));

    assertFalse(config.developmentMode().active());
    assertEquals("0.0.0.0", config.gateHost());
    assertEquals("0.0.0.0", config.httpHost());
    assertNull(config.clusterHost());
    assertEquals(
        "10.0.0.5",
        CourierConfig.from(null, Map.of("COURIER_APPS", REAL_APPS, "COURIER_GATE_HOST", "10.0.0.5"))
            .gateHost());
  }

  @Test
  void anExplicitHostOtherThanLoopbackIsRefusedWhileAPublishedSecretIsInUse() {
    assertEquals(
        "invalid configuration: gate.host (environment COURIER_GATE_HOST) is 0.0.0.0, not a"
            + " loopback address, while apps 101, 102, 103, 201, 301 use a published development"
            + " secret that anyone can sign with: configure real secrets (generate each with:"
            + " openssl rand -base64 32) to listen on other interfaces, or leave gate.host unset"
            + " to listen on 127.0.0.1",
        refused(Map.of("COURIER_GATE_HOST", "0.0.0.0")));
    for (String variable :
        new String[] {
          "COURIER_HTTP_HOST", "COURIER_ADMIN_HOST", "COURIER_BRIDGE_HOST", "COURIER_CLUSTER_HOST"
        }) {
      assertTrue(
          refused(Map.of(variable, "courier1")).contains("is courier1, not a loopback address"),
          variable);
    }
    for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
      assertEquals(
          loopback, CourierConfig.from(null, Map.of("COURIER_GATE_HOST", loopback)).gateHost());
    }
  }

  @Test
  void aPlaceholderOfTheExamplesIsAPublishedSecretWhereverItIs() {
    String placeholder = "change-me-to-32-random-bytes-bridge";
    Map<String, String> env = new HashMap<>(Map.of("COURIER_APPS", REAL_APPS));
    env.put("COURIER_BRIDGE_SECRET", placeholder);
    env.put("COURIER_ADMIN_TOKEN", "change-me-to-32-random-bytes-admin");
    CourierConfig config = CourierConfig.from(null, env);

    assertEquals("bridge.secret and ops.adminToken", config.developmentMode().publishedSecrets());
    assertEquals("127.0.0.1", config.gateHost());
    env.put("COURIER_BRIDGE_HOST", "0.0.0.0");
    assertTrue(refused(env).contains("while bridge.secret and ops.adminToken use a published"));
  }

  @Test
  void issuersAndAudiencesAreReadPerAppcodeOfApps() {
    CourierConfig config =
        CourierConfig.from(
            new JsonObject()
                .put("tokens", new JsonObject().put("audience", new JsonObject().put("201", "d"))),
            Map.of(
                "COURIER_APPS",
                REAL_APPS,
                "COURIER_TOKEN_ISSUER",
                "101=https://id.example.com/a=b, 201=https://id.example.com"));

    assertEquals(
        Map.of(101, "https://id.example.com/a=b", 201, "https://id.example.com"),
        config.tokenIssuers());
    assertEquals(Map.of(201, "d"), config.tokenAudiences());
    assertEquals(config.toJson(), CourierConfig.from(config.toJson()).toJson());
    assertEquals(
        "invalid configuration: tokens.audience.102 (environment COURIER_TOKEN_AUDIENCE) is not"
            + " an appcode of apps",
        refused(Map.of("COURIER_APPS", REAL_APPS, "COURIER_TOKEN_AUDIENCE", "102=x")));
  }

  private static String refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> CourierConfig.from(null, env)).getMessage();
  }
}
