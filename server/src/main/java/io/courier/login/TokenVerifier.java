package io.courier.login;

import io.courier.admin.RevocationTable;
import io.courier.config.Apps;
import io.courier.contract.CourierException;
import io.courier.contract.TokenGrant;
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
 * Checks a login token: an HS256 JWT signed with the appcode's secret, whose {@code exp} has not
 * passed, and whose claims pass the {@link TokenRules}. A refusal is code 401, or 403 for a REFRESH
 * token of another identity.
 *
 * <p>Signature and expiry are checked by Vert.x's {@link JWTAuth} (one per appcode, since each
 * appcode has its own secret); the claims that bind the token to the session by {@link TokenRules}.
 * A token without {@code exp} is refused: a token that never expires cannot be revoked by waiting.
 */
public final class TokenVerifier {
  private final Map<Integer, JWTAuth> byAppcode = new HashMap<>();
  private final TokenRules rules;

  public TokenVerifier(Vertx vertx, Apps apps, TokenRules rules) {
    apps.secrets()
        .forEach(
            (appcode, secret) -> byAppcode.put(appcode, JWTAuth.create(vertx, options(secret))));
    this.rules = rules;
  }

  /** A verifier without issuer, audience or revocations. */
  public TokenVerifier(Vertx vertx, Apps apps) {
    this(vertx, apps, new TokenRules(Map.of(), Map.of(), new RevocationTable(() -> 0)));
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
   * Succeeds with what the gate keeps of {@code token} when it proves {@code (uid, appcode)} for a
   * LOGIN; fails with a {@link CourierException} (401).
   */
  public Future<TokenGrant> verify(String uid, int appcode, String token) {
    return verify(uid, appcode, token, Code.AUTH_FAILED);
  }

  /**
   * As {@link #verify(String, int, String)}, for the REFRESH of a session logged in as {@code (uid,
   * appcode)}: a good token of another identity is 403, which leaves the session as it is.
   */
  public Future<TokenGrant> verifyRefresh(String uid, int appcode, String token) {
    return verify(uid, appcode, token, Code.FORBIDDEN);
  }

  private Future<TokenGrant> verify(String uid, int appcode, String token, Code otherIdentity) {
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
        .map(
            user ->
                rules.check(
                    user.attributes().getJsonObject("accessToken", new JsonObject()),
                    uid,
                    appcode,
                    otherIdentity));
  }

  private static <T> Future<T> refused(String reason) {
    return Future.failedFuture(new CourierException(Code.AUTH_FAILED, reason));
  }
}
