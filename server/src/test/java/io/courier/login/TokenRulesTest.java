package io.courier.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.admin.RevocationTable;
import io.courier.contract.CourierException;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Code;
import io.courier.protocol.body.Revocation;
import io.courier.testkit.fakes.FixedClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims a signed token must carry (protocol.md 14), decided without a network: the identity
 * (401 for a LOGIN, 403 for a REFRESH), the appcode's issuer and audience, and no revoked jti.
 */
class TokenRulesTest {
  private static final long EXP = FixedClock.DEFAULT_NOW / 1000 + 600;

  private final FixedClock clock = new FixedClock();
  private final RevocationTable revocations = new RevocationTable(clock);
  private final TokenRules rules =
      new TokenRules(Map.of(102, "https://id.example.com"), Map.of(103, "courier"), revocations);

  @Test
  void aTokenOfTheIdentityIsGrantedWithItsExpAndJti() {
    assertEquals(new TokenGrant(EXP, "j-1"), check(claims("alice", 101).put("jti", "j-1"), 101));
    assertEquals(new TokenGrant(EXP, null), check(claims("alice", 101), 101), "no jti");
    assertEquals(new TokenGrant(EXP, "42"), check(claims("alice", 101).put("jti", 42), 101));
    assertEquals(new TokenGrant(EXP, null), check(claims("alice", 101).put("appcode", "101"), 101));
  }

  @Test
  void anotherIdentityIsTheCodeTheCallerNames() {
    assertEquals(Code.AUTH_FAILED, refusal(claims("bob", 101), 101, Code.AUTH_FAILED));
    assertEquals(Code.FORBIDDEN, refusal(claims("bob", 101), 101, Code.FORBIDDEN));
    assertEquals(Code.FORBIDDEN, refusal(claims("alice", 201), 101, Code.FORBIDDEN));
    assertEquals(
        Code.AUTH_FAILED,
        refusal(claims("alice", 101).put("exp", null), 101, Code.FORBIDDEN),
        "no exp is a bad token whoever it names");
  }

  @Test
  void theIssuerOfAnAppcodeMustBeTheConfiguredOneExactly() {
    assertEquals(Code.AUTH_FAILED, refusal(claims("alice", 102), 102, Code.FORBIDDEN));
    assertEquals(
        Code.AUTH_FAILED,
        refusal(claims("alice", 102).put("iss", "https://id.example.com/"), 102, Code.FORBIDDEN));
    check(claims("alice", 102).put("iss", "https://id.example.com"), 102);
    check(claims("alice", 101).put("iss", "anyone"), 101);
  }

  @Test
  void theAudienceOfAnAppcodeMustBeTheAudOrInIt() {
    assertEquals(Code.AUTH_FAILED, refusal(claims("alice", 103), 103, Code.AUTH_FAILED));
    assertEquals(
        Code.AUTH_FAILED,
        refusal(
            claims("alice", 103).put("aud", new JsonArray().add("other")), 103, Code.AUTH_FAILED));
    check(claims("alice", 103).put("aud", "courier"), 103);
    check(claims("alice", 103).put("aud", new JsonArray().add("other").add("courier")), 103);
  }

  @Test
  void aRevokedJtiIsRefusedUntilTheRevocationEnds() {
    revocations.put(new Revocation(101, "j-1", EXP, null));

    assertEquals(
        Code.AUTH_FAILED, refusal(claims("alice", 101).put("jti", "j-1"), 101, Code.FORBIDDEN));
    check(claims("alice", 201).put("jti", "j-1"), 201);
    clock.advance(600_000);
    check(claims("alice", 101).put("jti", "j-1"), 101);
    assertEquals(
        Code.AUTH_FAILED,
        refusal(claims("alice", 101).put("jti", new JsonObject()), 101, Code.AUTH_FAILED),
        "a jti that is no string");
  }

  private TokenGrant check(JsonObject claims, int appcode) {
    return rules.check(claims, "alice", appcode, Code.AUTH_FAILED);
  }

  private Code refusal(JsonObject claims, int appcode, Code otherIdentity) {
    return assertThrows(
            CourierException.class, () -> rules.check(claims, "alice", appcode, otherIdentity))
        .code();
  }

  private static JsonObject claims(String sub, int appcode) {
    return new JsonObject().put("sub", sub).put("appcode", appcode).put("exp", EXP);
  }
}
