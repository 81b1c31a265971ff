package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.AddressPattern;
import io.courier.config.BridgeBusiness;
import io.courier.contract.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * {@link Business}, {@link Businesses} and {@link Identity}: each rule of a business's permissions,
 * decided without a network.
 */
class BusinessTest {
  private static final String SECRET = "dispatch-secret-0123456789abcdef-xyz";
  private static final String SHARED = "shared-secret-0123456789abcdef-xyz";

  /** Sends pushes for 101-103, registers C2S of 101 and receipts. */
  private static final Business DISPATCH =
      Business.of(
          new BridgeBusiness(
              "dispatch",
              SECRET,
              new X500Principal("CN=dispatch,O=Example"),
              Set.of(101, 102, 103),
              List.of(AddressPattern.of("courier.s2c*")),
              List.of(
                  AddressPattern.of("courier.c2s.101.*"), AddressPattern.of("courier.receipts"))));

  private static final Business LEGACY = Business.shared(SHARED);

  private static Rule rule(Refusal refusal) {
    return refusal == null ? null : refusal.rule();
  }

  @Test
  void sendsAreAllowedByPatternAndAppcode() {
    assertNull(DISPATCH.send(Addresses.S2C, 101));
    assertNull(DISPATCH.send(Addresses.S2C_MULTI, 103));
    assertEquals(Rule.SEND, rule(DISPATCH.send(Addresses.PRESENCE, null)));
    assertEquals(Rule.API, rule(DISPATCH.send(Addresses.LOGIN, 101)));
    assertEquals(Rule.API, rule(DISPATCH.send("courier.s2c.other", 101)));
    assertEquals(Rule.API, rule(DISPATCH.send(Addresses.ADMIN_KICK, 101)));
  }

  @Test
  void aPushForAnAppcodeNotOwnedOrWithoutOneIsRefusedNamingTheField() {
    Refusal refusal = DISPATCH.send(Addresses.S2C, 201);
    assertEquals(new Refusal(GuardError.ACCESS_DENIED, Rule.APPCODES, "body.to_appcode"), refusal);
    assertEquals(Rule.APPCODES, rule(DISPATCH.send(Addresses.S2C_MULTI, 104)));
    assertEquals(Rule.APPCODES, rule(DISPATCH.send(Addresses.S2C, null)));
  }

  @Test
  void repliesAreTheBridgesToJudge() {
    assertNull(DISPATCH.send(Addresses.REPLY_PREFIX + "1f0c-42", null));
    assertNull(DISPATCH.send(Addresses.REPLY_PREFIX + "7", 999));
  }

  @Test
  void registrationsAreAllowedByPatternAndTheAppcodeOfTheAddress() {
    assertNull(DISPATCH.register("courier.c2s.101.7"));
    assertNull(DISPATCH.register(Addresses.RECEIPTS));
    assertEquals(Rule.REGISTER, rule(DISPATCH.register("courier.c2s.102.7")));
    assertEquals(Rule.API, rule(DISPATCH.register(Addresses.S2C)));
    assertEquals(Rule.API, rule(DISPATCH.register("courier.internal.gate.x")));

    Business everyC2s =
        Business.of(
            new BridgeBusiness(
                "c2s",
                SECRET,
                null,
                Set.of(101),
                List.of(),
                List.of(AddressPattern.of("courier.c2s.*"))));
    assertNull(everyC2s.register("courier.c2s.101.7"));
    for (String other :
        List.of("courier.c2s.201.7", "courier.c2s.0101.7", "courier.c2s.x.7", "courier.c2s.101x")) {
      assertEquals(
          new Refusal(GuardError.ACCESS_DENIED, Rule.APPCODES, "address"),
          everyC2s.register(other),
          other);
    }
    assertEquals(Rule.SEND, rule(everyC2s.send(Addresses.S2C, 101)), "nothing to send to");
  }

  @Test
  void receiptsReachOnlyTheBusinessThatOwnsTheirAppcode() {
    JsonObject mine = new JsonObject().put("msgid", "1").put("to_uid", "u").put("to_appcode", 102);
    JsonObject theirs = mine.copy().put("to_appcode", 201);
    assertTrue(DISPATCH.receives(Addresses.RECEIPTS, mine));
    assertFalse(DISPATCH.receives(Addresses.RECEIPTS, theirs));
    assertFalse(DISPATCH.receives(Addresses.RECEIPTS, new JsonObject()));
    assertFalse(DISPATCH.receives(Addresses.RECEIPTS, "not a receipt"));
    assertTrue(DISPATCH.receives("courier.c2s.101.7", new JsonObject().put("from_appcode", 101)));
    assertTrue(LEGACY.receives(Addresses.RECEIPTS, theirs));
  }

  @Test
  void presenceShowsOnlyTheSessionsOfOwnedAppcodes() {
    JsonObject answer =
        new JsonObject()
            .put("code", 0)
            .put(
                "sessions",
                new JsonArray()
                    .add(new JsonObject().put("appcode", 101).put("node", "n"))
                    .add(new JsonObject().put("appcode", 201).put("node", "n")));

    JsonObject scoped = (JsonObject) DISPATCH.presence(answer);

    assertEquals(
        new JsonArray().add(new JsonObject().put("appcode", 101).put("node", "n")),
        scoped.getJsonArray("sessions"));
    assertEquals(2, answer.getJsonArray("sessions").size(), "the original is left alone");
    JsonObject refused = new JsonObject().put("code", 400).put("msg", "uid is required");
    assertSame(refused, DISPATCH.presence(refused));
    assertSame(answer, LEGACY.presence(answer));
  }

  @Test
  void theSharedSecretsBusinessMayDoEverythingTheApiAllows() {
    assertNull(LEGACY.send(Addresses.S2C, 201));
    assertNull(LEGACY.send(Addresses.S2C, null));
    assertNull(LEGACY.send(Addresses.PRESENCE, null));
    assertNull(LEGACY.register("courier.c2s.x.y"));
    assertNull(LEGACY.register(Addresses.RECEIPTS));
    assertEquals(Rule.API, rule(LEGACY.send(Addresses.ADMIN_BAN, null)));
    assertFalse(LEGACY.scoped());
    assertEquals("shared", LEGACY.name());
  }

  @Test
  void aBusinessIsFoundByItsSecretOrCertificateOnly() {
    Businesses businesses = new Businesses(List.of(DISPATCH, LEGACY));
    assertSame(DISPATCH, businesses.bySecret(SECRET));
    assertSame(LEGACY, businesses.bySecret(SHARED));
    assertNull(businesses.bySecret(SECRET + "x"));
    assertNull(businesses.bySecret(""));
    assertSame(
        DISPATCH,
        businesses.byCertificate(new X500Principal("cn=dispatch, o=Example")),
        "RFC 2253");
    assertNull(businesses.byCertificate(new X500Principal("CN=dispatch,O=Other")));
    assertNull(businesses.open());
    assertEquals("open", new Businesses(List.of()).open().name());
  }

  @Test
  void aConnectionActsForTheFirstBusinessItProvesAndNoOtherAfterwards() {
    Identity identity = new Identity(new Businesses(List.of(DISPATCH, LEGACY)), null);
    assertNull(identity.of(null));
    assertNull(identity.of("guess"));
    assertNull(identity.business());
    assertSame(DISPATCH, identity.of(SECRET));
    assertSame(DISPATCH, identity.of(SECRET));
    assertNull(identity.of(SHARED), "another business's secret");
    assertNull(identity.of(null));
    assertSame(DISPATCH, identity.business());
  }

  @Test
  void aCertifiedConnectionNeedsNoSecretButAWrongOneIsRefused() {
    Identity identity = new Identity(new Businesses(List.of(DISPATCH, LEGACY)), DISPATCH);
    assertSame(DISPATCH, identity.of(null));
    assertSame(DISPATCH, identity.of(SECRET));
    assertNull(identity.of(SHARED));
  }

  @Test
  void onAnOpenBridgeEveryFrameIsTheOpenBusiness() {
    Businesses none = new Businesses(List.of());
    Identity identity = new Identity(none, null);
    assertSame(none.open(), identity.of(null));
    assertSame(none.open(), identity.of("anything"));
  }
}
