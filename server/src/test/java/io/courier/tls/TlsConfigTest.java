package io.courier.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.PemPair;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS keys are checked when the node starts: a certificate without its key, a file that cannot
 * be read, is not PEM, or a key of another certificate stop the start with a message naming the key
 * and the file.
 */
class TlsConfigTest {
  @TempDir static Path dir;
  private static PemPair gate;
  private static PemPair other;
  private static Path ca;

  @BeforeAll
  static void files() {
    TestPki.Ca authority = TestPki.newCa("config CA");
    gate = authority.server("gate").write(dir, "gate");
    other = authority.server("other").write(dir, "other");
    ca = authority.writeCert(dir.resolve("ca.crt"));
  }

  private static CourierConfig env(Map<String, String> env) {
    return CourierConfig.from(new JsonObject(), env);
  }

  private static String refusal(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> env(env)).getMessage();
  }

  @Test
  void withoutKeysEveryListenerIsPlain() {
    CourierConfig config = env(Map.of());
    assertNull(config.gateTls());
    assertNull(config.httpTls());
    assertNull(config.adminTls());
    assertNull(config.bridgeTls());
    assertNull(config.clusterTls());
    assertNull(config.gatePlainPort());
  }

  @Test
  void aCertificateAndItsKeyTurnTlsOn() {
    CourierConfig config =
        env(
            Map.of(
                "COURIER_GATE_TLS_CERT", gate.cert().toString(),
                "COURIER_GATE_TLS_KEY", gate.key().toString(),
                "COURIER_GATE_PLAIN_PORT", "9001",
                "COURIER_BRIDGE_TLS_CERT", gate.cert().toString(),
                "COURIER_BRIDGE_TLS_KEY", gate.key().toString(),
                "COURIER_BRIDGE_TLS_CLIENT_CA", ca.toString(),
                "COURIER_BRIDGE_TLS_CLIENT_AUTH", "requested"));
    assertEquals(TlsSettings.serverOnly("gate", gate.cert(), gate.key()), config.gateTls());
    assertEquals(9001, config.gatePlainPort());
    assertEquals(ClientAuth.REQUEST, config.bridgeTls().clientAuth());
    assertEquals(ca, config.bridgeTls().clientCa());
    assertEquals(config.gateTls(), CourierConfig.from(config.toJson()).gateTls());
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    assertEquals(
        "invalid configuration: gate.tlsCert (environment COURIER_GATE_TLS_CERT) is set without"
            + " gate.tlsKey (environment COURIER_GATE_TLS_KEY)",
        refusal(Map.of("COURIER_GATE_TLS_CERT", gate.cert().toString())));
    assertEquals(
        "invalid configuration: http.tlsKey (environment COURIER_HTTP_TLS_KEY) is set without"
            + " http.tlsCert (environment COURIER_HTTP_TLS_CERT)",
        refusal(Map.of("COURIER_HTTP_TLS_KEY", gate.key().toString())));
    assertTrue(
        refusal(
                Map.of(
                    "COURIER_CLUSTER_TLS_CERT", gate.cert().toString(),
                    "COURIER_CLUSTER_TLS_KEY", gate.key().toString()))
            .contains(
                "cluster.tlsCert (environment COURIER_CLUSTER_TLS_CERT) is set without cluster.tlsCa"));
  }

  @Test
  void anUnreadableOrNonPemFileIsRefused() throws IOException {
    Path missing = dir.resolve("missing.crt");
    String unreadable =
        refusal(
            Map.of(
                "COURIER_ADMIN_TLS_CERT", missing.toString(),
                "COURIER_ADMIN_TLS_KEY", gate.key().toString()));
    assertTrue(
        unreadable.startsWith(
            "invalid configuration: ops.adminTlsCert (environment COURIER_ADMIN_TLS_CERT) "
                + missing
                + ": cannot be read"),
        unreadable);
    Path der = Files.write(dir.resolve("gate.der"), new byte[] {0x30, (byte) 0x82, 1, 2, 3});
    assertEquals(
        "invalid configuration: gate.tlsCert (environment COURIER_GATE_TLS_CERT) "
            + der
            + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- block)",
        refusal(
            Map.of(
                "COURIER_GATE_TLS_CERT", der.toString(),
                "COURIER_GATE_TLS_KEY", gate.key().toString())));
    String keyAsCert =
        refusal(
            Map.of(
                "COURIER_GATE_TLS_CERT", gate.cert().toString(),
                "COURIER_GATE_TLS_KEY", gate.cert().toString()));
    assertTrue(
        keyAsCert.contains(
            "gate.tlsKey (environment COURIER_GATE_TLS_KEY) "
                + gate.cert()
                + ": not a PEM private key"),
        keyAsCert);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertEquals(
        "invalid configuration: bridge.tlsKey (environment COURIER_BRIDGE_TLS_KEY) "
            + other.key()
            + ": not the private key of the certificate in "
            + gate.cert(),
        refusal(
            Map.of(
                "COURIER_BRIDGE_TLS_CERT", gate.cert().toString(),
                "COURIER_BRIDGE_TLS_KEY", other.key().toString())));
  }

  @Test
  void aPlainPortNeedsATlsGateAndAPortOfItsOwn() {
    assertTrue(
        refusal(Map.of("COURIER_GATE_PLAIN_PORT", "9001"))
            .contains("gate.plainPort (environment COURIER_GATE_PLAIN_PORT) needs gate.tlsCert"));
    assertTrue(
        refusal(
                Map.of(
                    "COURIER_GATE_TLS_CERT", gate.cert().toString(),
                    "COURIER_GATE_TLS_KEY", gate.key().toString(),
                    "COURIER_GATE_PLAIN_PORT", "9000"))
            .contains("must differ from gate.port"));
    assertTrue(
        refusal(Map.of("COURIER_BRIDGE_TLS_CLIENT_CA", ca.toString()))
            .contains("needs bridge.tlsCert"));
  }
}
