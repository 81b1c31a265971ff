package io.courier.login;

import io.courier.admin.RevocationTable;
import io.courier.contract.CourierException;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Code;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What a correctly signed token that has not expired must also say to be accepted (protocol.md
 * section 14): {@code sub} = the uid, {@code appcode} = the appcode, an {@code exp}, the {@code
 * iss} and {@code aud} configured for the appcode ({@code tokens.issuer}, {@code tokens.audience}),
 * and no revoked {@code jti}. Decided from the claims alone, without a network.
 */
public final class TokenRules {
  private final Map<Integer, String> issuers;
  private final Map<Integer, String> audiences;
  private final RevocationTable revocations;

  /**
   * @param issuers per appcode, the {@code iss} its tokens must carry; others accept any
   * @param audiences per appcode, the value its tokens' {@code aud} must hold; others accept any
   * @param revocations the revoked tokens, refused until their expiry
   */
  public TokenRules(
      Map<Integer, String> issuers, Map<Integer, String> audiences, RevocationTable revocations) {
    this.issuers = Map.copyOf(issuers);
    this.audiences = Map.copyOf(audiences);
    this.revocations = revocations;
  }

  /**
   * What the gate keeps of the token whose {@code claims} prove {@code (uid, appcode)}.
   *
   * @param otherIdentity the code when {@code sub} or {@code appcode} name another identity: 401
   *     for a LOGIN (nobody is logged in yet), 403 for a REFRESH (the session stays as it is)
   * @throws CourierException with {@code otherIdentity} or 401
   */
  public TokenGrant check(JsonObject claims, String uid, int appcode, Code otherIdentity) {
    if (!uid.equals(claims.getValue("sub"))) {
      throw new CourierException(otherIdentity, "token sub does not match uid");
    }
    if (!matchesAppcode(claims.getValue("appcode"), appcode)) {
      throw new CourierException(otherIdentity, "token appcode does not match appcode");
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw refused("token has no exp");
    }
    String issuer = issuers.get(appcode);
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      throw refused("token iss is not the issuer of appcode " + appcode);
    }
    String audience = audiences.get(appcode);
    if (audience != null && !hasAudience(claims.getValue("aud"), audience)) {
      throw refused("token aud does not name appcode " + appcode + "'s audience");
    }
    String jti = jti(claims.getValue("jti"));
    if (jti != null && revocations.revoked(appcode, jti)) {
      throw refused("token revoked");
    }
    return new TokenGrant(exp.longValue(), jti);
  }

  private static boolean matchesAppcode(Object claim, int appcode) {
    if (claim instanceof Integer || claim instanceof Long) {
      return ((Number) claim).longValue() == appcode;
    }
    return claim instanceof String && claim.equals(Integer.toString(appcode));
  }

  /** RFC 7519 4.1.3: {@code aud} is one string or an array of strings. */
  private static boolean hasAudience(Object claim, String audience) {
    if (claim instanceof JsonArray array) {
      return array.contains(audience);
    }
    return audience.equals(claim);
  }

  /**
   * The {@code jti} as text, or null when absent. RFC 7519 makes it a string; an integer is read as
   * its digits rather than refused, so an issuer that numbers its tokens keeps its clients.
   */
  private static String jti(Object claim) {
    if (claim == null || claim instanceof String) {
      return (String) claim;
    }
    if (claim instanceof Integer || claim instanceof Long) {
      return claim.toString();
    }
    throw refused("token jti must be a string");
  }

  private static CourierException refused(String reason) {
    return new CourierException(Code.AUTH_FAILED, reason);
  }
}
