package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * A revoked login token, as a business or an operator revokes it ({@code courier.tokens.revoke})
 * and as the platform keeps and lists it: {@code {appcode, jti, exp, reason?}}. A token is named by
 * its appcode and its {@code jti} claim (a {@code jti} is unique per issuer, and each appcode has
 * its own secret); {@code exp} is the token's own {@code exp} claim, in seconds since the epoch,
 * until which the revocation is kept: after it the token is refused as expired anyway.
 *
 * @param reason free text kept with the revocation and listed, at most {@link #MAX_REASON_CHARS};
 *     or null
 */
public record Revocation(int appcode, String jti, long exp, String reason) {
  /** Longest {@code jti} accepted: far more than a UUID or a 256-bit random id in any encoding. */
  public static final int MAX_JTI_CHARS = 256;

  public static final int MAX_REASON_CHARS = 200;

  /** A key unique per token, {@code <appcode>:<jti>}. */
  public static String key(int appcode, String jti) {
    return appcode + ":" + jti;
  }

  public String key() {
    return key(appcode, jti);
  }

  /** Whether the revocation still holds at {@code nowMs} (ms since the epoch). */
  public boolean activeAt(long nowMs) {
    return nowMs < untilMs();
  }

  /** The end of the revocation, the token's expiry, in ms since the epoch. */
  public long untilMs() {
    return exp * 1000;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("appcode", appcode).put("jti", jti).put("exp", exp);
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  /** Reads and checks a revocation or a request for one (400 for a bad field). */
  public static Revocation fromJson(JsonObject json) throws MalformedBodyException {
    int appcode = Fields.appcode(json, "appcode");
    String jti = Fields.string(json, "jti");
    if (jti.isEmpty() || jti.length() > MAX_JTI_CHARS) {
      throw new MalformedBodyException("jti must be 1-" + MAX_JTI_CHARS + " chars");
    }
    long exp = Fields.integer(json, "exp");
    // beyond this, exp * 1000 would overflow; no token lives that long
    if (exp < 0 || exp > Long.MAX_VALUE / 1000) {
      throw new MalformedBodyException("exp must be seconds since the epoch");
    }
    Object reason = json.getValue("reason");
    if (reason != null
        && (!(reason instanceof String) || ((String) reason).length() > MAX_REASON_CHARS)) {
      throw new MalformedBodyException(
          "reason must be a string of at most " + MAX_REASON_CHARS + " chars");
    }
    return new Revocation(appcode, jti, exp, (String) reason);
  }
}
