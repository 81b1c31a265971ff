package io.courier.tools;

import io.courier.config.CourierConfig;
import io.courier.login.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.Map;

/**
 * Signs login tokens as the platform checks them ({@link TokenVerifier}): HS256, subject the uid,
 * an {@code appcode} claim and an expiry. One signer holds one {@link JWTAuth}: making one costs
 * far more than a signature, so a caller signing many tokens keeps its signer.
 */
public final class TokenSigner {
  private final JWTAuth auth;
  private final JWTOptions options;

  public TokenSigner(Vertx vertx, String secret, int ttlSeconds) {
    this.auth = JWTAuth.create(vertx, TokenVerifier.options(secret));
    this.options = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds);
  }

  /**
   * The secret the node's configuration gives {@code appcode}, read from the environment ({@code
   * COURIER_APPS}); null when the appcode is not configured.
   *
   * @throws io.courier.config.ConfigException when the environment's configuration is invalid
   */
  public static String configuredSecret(int appcode, Map<String, String> env) {
    return CourierConfig.from(new JsonObject(), env).apps().secret(appcode);
  }

  public String sign(String uid, int appcode) {
    return auth.generateToken(
        new JsonObject().put("appcode", appcode), new JWTOptions(options).setSubject(uid));
  }
}
