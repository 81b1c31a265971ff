package io.courier.bench;

import io.courier.config.CourierConfig;
import io.courier.login.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.util.Map;

/**
 * Signs the bench users' login tokens with one {@link JWTAuth} for the whole run (creating one per token,
 * as the {@code token} command may, costs far more than the signature itself).
 */
final class TokenSigner {
  private static final int TTL_SECONDS = 24 * 3600;

  private final JWTAuth auth;
  private final JWTOptions options = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(TTL_SECONDS);

  TokenSigner(Vertx vertx, String secret) {
    this.auth = JWTAuth.create(vertx, TokenVerifier.options(secret));
  }

  /**
   * The secret for {@code appcode}: {@code explicit} if given, else the node configuration's secret taken
   * from the environment ({@code COURIER_APPS}), else null (appcode not configured).
   */
  static String secretFor(int appcode, String explicit, Map<String, String> env) {
    if (explicit != null) {
      return explicit;
    }
    return CourierConfig.from(new JsonObject(), env).apps().secret(appcode);
  }

  String sign(String uid, int appcode) {
    return auth.generateToken(new JsonObject().put("appcode", appcode), new JWTOptions(options).setSubject(uid));
  }
}
