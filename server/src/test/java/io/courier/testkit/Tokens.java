package io.courier.testkit;

import io.courier.config.Apps;
import io.courier.login.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

/** Signs login tokens for tests, with the development secret unless told otherwise. */
public final class Tokens {
  private final Vertx vertx;

  public Tokens(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * A valid token for {@code (uid, appcode)}, signed with the development secret, valid for an
   * hour.
   */
  public String valid(String uid, int appcode) {
    return sign(Apps.DEV_SECRET, new JsonObject().put("appcode", appcode), uid, 3600);
  }

  /** A token with the given claims besides {@code sub} and {@code exp}. */
  public String sign(String secret, JsonObject claims, String sub, int expiresInSeconds) {
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setSubject(sub);
    if (expiresInSeconds != 0) {
      options.setExpiresInSeconds(expiresInSeconds);
    }
    return JWTAuth.create(vertx, TokenVerifier.options(secret)).generateToken(claims, options);
  }

  /**
   * A token for {@code (uid, appcode)} signed with the development secret, with the claims {@code
   * extra} besides, valid for {@code expiresInSeconds} (its {@code exp} is the current second plus
   * that).
   */
  public String with(String uid, int appcode, JsonObject extra, int expiresInSeconds) {
    return sign(Apps.DEV_SECRET, extra.copy().put("appcode", appcode), uid, expiresInSeconds);
  }

  /** The {@code exp} claim of {@code token}, read without checking its signature. */
  public static long exp(String token) {
    String claims = token.split("\\.")[1];
    return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(claims)))
        .getLong("exp");
  }

  /** A token whose {@code exp} is {@code secondsAgo} seconds in the past. */
  public String expired(String uid, int appcode, int secondsAgo) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims =
        new JsonObject()
            .put("appcode", appcode)
            .put("exp", now - secondsAgo)
            .put("iat", now - secondsAgo - 60);
    return JWTAuth.create(vertx, TokenVerifier.options(Apps.DEV_SECRET))
        .generateToken(
            claims, new JWTOptions().setAlgorithm("HS256").setSubject(uid).setNoTimestamp(true));
  }
}
