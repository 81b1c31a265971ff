package io.courier.login;

import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a login token: an HS256 JWT signed with the appcode's secret, with {@code sub} = uid,
 * {@code appcode} = appcode and an {@code exp} that has not passed. Every refusal is code 401.
 *
 * <p>Signature and expiry are checked by Vert.x's {@link JWTAuth} (one per appcode, since each
 * appcode has its own secret); the claims that bind the token to the login body are checked here. A
 * token without {@code exp} is refused: a token that never expires cannot be revoked by waiting.
 */
public final class TokenVerifier {
  private final Map<Integer, JWTAuth> byAppcode = new HashMap<>();

  public TokenVerifier(Vertx vertx, Apps apps) {
    apps.secrets()
        .forEach(
            (appcode, secret) -> byAppcode.put(appcode, JWTAuth.create(vertx, options(secret))));
  }

  /**
   * The JWT options for tokens of an app with {@code secret}; also used to issue development
   * tokens.
   */
  public static JWTAuthOptions options(String secret) {
    return new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
  }

  /**
   * Succeeds when {@code token} proves {@code (uid, appcode)}; fails with a {@link
   * CourierException} (401).
   */
  public Future<Void> verify(String uid, int appcode, String token) {
    JWTAuth auth = byAppcode.get(appcode);
    if (auth == null) {
      return refused("unknown appcode " + appcode);
    }
    Future<User> authenticated;
    try {
      authenticated = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // Vert.x's expiry check throws on a correctly signed token whose exp/iat/nbf is not a number
      return refused("invalid token: " + e.getMessage());
    }
    return authenticated
        .recover(e -> refused("invalid token: " + e.getMessage()))
        .compose(
            user -> {
              JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
              if (!uid.equals(claims.getValue("sub"))) {
                return refused("token sub does not match uid");
              }
              if (!matchesAppcode(claims.getValue("appcode"), appcode)) {
                return refused("token appcode does not match appcode");
              }
              if (!(claims.getValue("exp") instanceof Number)) {
                return refused("token has no exp");
              }
              return Future.succeededFuture();
            });
  }

  private static boolean matchesAppcode(Object claim, int appcode) {
    if (claim instanceof Integer || claim instanceof Long) {
      return ((Number) claim).longValue() == appcode;
    }
    return claim instanceof String && claim.equals(Integer.toString(appcode));
  }

  private static <T> Future<T> refused(String reason) {
    return Future.failedFuture(new CourierException(Code.AUTH_FAILED, reason));
  }
}
