package io.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * {@code bridge.businesses}, {@code bridge.maxRegistrations}, {@code bridge.idleSeconds} and {@code
 * cluster.secret}: what is read, and what stops start-up with which message.
 */
class BridgeBusinessesConfigTest {
  private static final String DISPATCH_SECRET = "dispatch-secret-0123456789abcdef-xyz";
  private static final String BILLING_SECRET = "billing-secret-0123456789abcdef-xyz";

  private static JsonObject dispatch() {
    return new JsonObject()
        .put("secret", DISPATCH_SECRET)
        .put("appcodes", new JsonArray().add("101-103").add(201))
        .put("send", new JsonArray().add("courier.s2c*"))
        .put("register", new JsonArray().add("courier.c2s.101.*").add("courier.receipts"));
  }

  private static CourierConfig withBusinesses(JsonObject businesses) {
    return CourierConfig.from(
        new JsonObject().put("bridge", new JsonObject().put("businesses", businesses)));
  }

  /** The message that refuses {@code businesses}, without the variable it names after the key. */
  private static String refused(JsonObject businesses) {
    String message =
        assertThrows(ConfigException.class, () -> withBusinesses(businesses)).getMessage();
    assertTrue(message.contains(" (environment COURIER_BRIDGE_BUSINESSES) "), message);
    return message.replace(" (environment COURIER_BRIDGE_BUSINESSES)", "");
  }

  @Test
  void aBusinessIsReadWithItsRangesAndPatterns() {
    BridgeBusiness business =
        withBusinesses(new JsonObject().put("dispatch", dispatch())).bridgeBusinesses().get(0);

    assertEquals("dispatch", business.name());
    assertEquals(DISPATCH_SECRET, business.secret());
    assertNull(business.certificate());
    assertEquals(Set.of(101, 102, 103, 201), business.appcodes());
    assertEquals(List.of(AddressPattern.of("courier.s2c*")), business.send());
    assertEquals(
        List.of(AddressPattern.of("courier.c2s.101.*"), AddressPattern.of("courier.receipts")),
        business.register());
  }

  @Test
  void defaultsAreNoBusinessesAThousandRegistrationsFiveMinutesIdleAndNoClusterSecret() {
    CourierConfig config = CourierConfig.from(null, Map.of());
    assertEquals(List.of(), config.bridgeBusinesses());
    assertEquals(1000, config.bridgeMaxRegistrations());
    assertEquals(300, config.bridgeIdleTimeout().toSeconds());
    assertNull(config.clusterSecret());
  }

  @Test
  void theEnvironmentGivesTheSameJsonAsText() {
    CourierConfig config =
        CourierConfig.from(
            null,
            Map.of(
                "COURIER_BRIDGE_BUSINESSES",
                new JsonObject()
                    .put(
                        "billing",
                        new JsonObject()
                            .put("certificate", "CN=billing, O=Example")
                            .put("appcodes", "*")
                            .put("send", new JsonArray().add("courier.presence")))
                    .encode(),
                "COURIER_BRIDGE_MAX_REGISTRATIONS",
                "5",
                "COURIER_BRIDGE_IDLE_SECONDS",
                "30",
                "COURIER_CLUSTER_SECRET",
                "cluster-secret-0123456789abcdef-xyz"));

    BridgeBusiness billing = config.bridgeBusinesses().get(0);
    assertNull(billing.secret());
    assertEquals(new X500Principal("CN=billing,O=Example"), billing.certificate());
    assertNull(billing.appcodes(), "\"*\": every appcode");
    assertEquals(List.of(), billing.register());
    assertEquals(5, config.bridgeMaxRegistrations());
    assertEquals(30, config.bridgeIdleTimeout().toSeconds());
    assertEquals("cluster-secret-0123456789abcdef-xyz", config.clusterSecret());
    assertEquals(config.toJson(), CourierConfig.from(config.toJson()).toJson());
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> CourierConfig.from(null, Map.of("COURIER_BRIDGE_BUSINESSES", "dispatch=x")))
            .getMessage()
            .contains("bridge.businesses (environment COURIER_BRIDGE_BUSINESSES) must be a JSON"));
  }

  @Test
  void secretsAreLongDistinctAndNeverShownInErrors() {
    String shortSecret = "short-secret";
    String message = refused(new JsonObject().put("d", dispatch().put("secret", shortSecret)));
    assertTrue(message.contains("bridge.businesses.d.secret"), message);
    assertTrue(message.contains("at least 32 bytes"), message);
    assertFalse(message.contains(shortSecret), message);

    message =
        refused(new JsonObject().put("a", dispatch()).put("b", dispatch().put("register", null)));
    assertTrue(message.contains("bridge.businesses.b.secret is also the secret of a"), message);
    assertFalse(message.contains(DISPATCH_SECRET), message);

    message =
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject()
                            .put(
                                "bridge",
                                new JsonObject()
                                    .put("secret", DISPATCH_SECRET)
                                    .put("businesses", new JsonObject().put("d", dispatch())))))
            .getMessage();
    assertTrue(message.contains("is also bridge.secret"), message);

    message =
        assertThrows(
                ConfigException.class,
                () -> CourierConfig.from(null, Map.of("COURIER_CLUSTER_SECRET", shortSecret)))
            .getMessage();
    assertTrue(message.contains("cluster.secret (environment COURIER_CLUSTER_SECRET)"), message);
    assertFalse(message.contains(shortSecret), message);
  }

  @Test
  void mistakesNameTheirPlace() {
    Object[][] cases = {
      {new JsonObject().put("open", dispatch()), "bridge.businesses.open is not a business name"},
      {new JsonObject().put("a b", dispatch()), "bridge.businesses.a b is not a business name"},
      {new JsonObject().put("d", 5), "bridge.businesses.d must be a JSON object"},
      {new JsonObject().put("d", dispatch().put("secrets", "x")), "d.secrets is not a business"},
      {new JsonObject().put("d", dispatch().putNull("secret")), "d needs a secret or a certif"},
      {new JsonObject().put("d", dispatch().put("certificate", "no subject")), "d.certificate"},
      {new JsonObject().put("d", dispatch().putNull("appcodes")), "d.appcodes must be \"*\""},
      {new JsonObject().put("d", dispatch().put("appcodes", new JsonArray())), "d.appcodes"},
      {
        new JsonObject().put("d", dispatch().put("appcodes", new JsonArray().add("103-101"))),
        "got \"103-101\""
      },
      {
        new JsonObject().put("d", dispatch().put("appcodes", new JsonArray().add(70000))),
        "got 70000"
      },
      {
        new JsonObject().put("d", dispatch().put("send", new JsonArray().add("courier.s2c.x*"))),
        "d.send holds courier.s2c.x*, which covers none of courier.s2c, courier.s2c.multi,"
      },
      {
        new JsonObject().put("d", dispatch().put("send", new JsonArray().add("courier.s2c?"))),
        "d.send must be 1-200 characters"
      },
      {
        new JsonObject()
            .put("d", dispatch().put("register", new JsonArray().add("courier.admin.*"))),
        "d.register holds courier.admin.*, which covers neither courier.receipts nor"
      },
      {
        new JsonObject().put("d", dispatch().put("register", new JsonArray().add("courier.c2s."))),
        "d.register holds courier.c2s."
      },
    };
    for (Object[] c : cases) {
      String message = refused((JsonObject) c[0]);
      assertTrue(message.contains((String) c[1]), message);
    }
  }

  @Test
  void patternsCoverWholeAddressesWithStarsOnly() {
    AddressPattern s2c = AddressPattern.of("courier.s2c*");
    assertTrue(s2c.matches("courier.s2c"));
    assertTrue(s2c.matches("courier.s2c.multi"));
    assertFalse(s2c.matches("courier.presence"));
    AddressPattern c2s = AddressPattern.of("courier.c2s.101.*");
    assertTrue(c2s.matches("courier.c2s.101.7"));
    assertTrue(c2s.matches("courier.c2s.101."));
    assertFalse(c2s.matches("courier.c2s.1010.7"), "a dot is a dot, not any character");
    assertFalse(c2s.matches("courier.c2s.101"));
    AddressPattern middle = AddressPattern.of("*.c2s.*.7");
    assertTrue(middle.matches("courier.c2s.201.7"));
    assertFalse(middle.matches("courier.c2s.201.70"));
    assertTrue(AddressPattern.of("*").matches(""));
    assertTrue(AddressPattern.of("courier.receipts").matches("courier.receipts"));
    assertFalse(AddressPattern.of("courier.receipts").matches("courier.receipts.x"));
  }
}
