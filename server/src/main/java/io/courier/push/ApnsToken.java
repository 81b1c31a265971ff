package io.courier.push;

import io.vertx.core.json.JsonObject;
import java.security.PrivateKey;
import java.util.function.LongSupplier;

/**
 * The APNs provider token: an ES256 JWT {@code {alg, kid}{iss: team, iat}} signed with the {@code
 * .p8} key, made anew every {@value #REFRESH_MS} ms. APNs refuses a token older than an hour
 * ({@code ExpiredProviderToken}) and one renewed more often than every 20 minutes ({@code
 * TooManyProviderTokenUpdates}), so the token is shared by every request of the node and replaced
 * between the two. Confined to the push role's context.
 */
final class ApnsToken {
  static final long REFRESH_MS = 50 * 60_000L;

  /** Apple's least interval between two tokens. */
  static final long MIN_REFRESH_MS = 20 * 60_000L;

  private final PrivateKey key;
  private final String keyId;
  private final String teamId;
  private final LongSupplier clock;
  private String token;
  private long issuedAt;

  ApnsToken(PrivateKey key, String keyId, String teamId, LongSupplier clock) {
    this.key = key;
    this.keyId = keyId;
    this.teamId = teamId;
    this.clock = clock;
  }

  /** The token to send now. */
  String current() {
    long now = clock.getAsLong();
    if (token == null || now - issuedAt >= REFRESH_MS) {
      issuedAt = now;
      token =
          Jwt.sign(
              new JsonObject().put("alg", "ES256").put("kid", keyId),
              new JsonObject().put("iss", teamId).put("iat", now / 1000),
              key,
              Jwt.ES256);
    }
    return token;
  }

  /**
   * APNs called the token expired or invalid: the next request signs a new one, unless the current
   * one is younger than {@link #MIN_REFRESH_MS} (a new one would be refused as too frequent, and
   * one so young is refused for another reason: a wrong key, team or clock).
   */
  void refused() {
    if (clock.getAsLong() - issuedAt >= MIN_REFRESH_MS) {
      token = null;
    }
  }
}
