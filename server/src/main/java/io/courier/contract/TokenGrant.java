package io.courier.contract;

import io.courier.protocol.body.Result;
import io.vertx.core.json.JsonObject;

/**
 * The login role's code-0 reply to a LOGIN ({@link Addresses#LOGIN}) or a REFRESH ({@link
 * Addresses#REFRESH}): {@code {code: 0, exp, jti?}}, what the gate needs of the accepted token to
 * end the session at its expiry and to find it when the token is revoked.
 *
 * @param exp the token's {@code exp}, seconds since the epoch; 0 when the reply had none (a login
 *     role of an older version): the session then has no end
 * @param jti the token's {@code jti}, or null when it has none (it cannot be revoked)
 */
public record TokenGrant(long exp, String jti) {

  public JsonObject toJson() {
    JsonObject json = Result.ok().toJson().put("exp", exp);
    if (jti != null) {
      json.put("jti", jti);
    }
    return json;
  }

  /** Reads a code-0 reply; fields it lacks read as absent. */
  public static TokenGrant fromJson(JsonObject json) {
    Object exp = json.getValue("exp");
    Object jti = json.getValue("jti");
    return new TokenGrant(
        exp instanceof Number number ? number.longValue() : 0,
        jti instanceof String text ? text : null);
  }
}
