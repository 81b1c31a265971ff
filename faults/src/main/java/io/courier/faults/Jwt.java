package io.courier.faults;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Login tokens (protocol.md section 14): HS256 JWTs signed with {@link Topology#APP_SECRET}. */
final class Jwt {
  /**
   * {@code iat} lies this far in the past: a node whose clock the suite moved back must not find
   * the token issued in its future (it would refuse it with 401, as the protocol says).
   */
  private static final long ISSUED_BEFORE_SECONDS = 900;

  private static final long VALID_SECONDS = 86_400;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  static String sign(String uid, int appcode, String secret) {
    long now = System.currentTimeMillis() / 1000;
    String header = encode(new JsonObject().put("alg", "HS256").put("typ", "JWT"));
    String claims =
        encode(
            new JsonObject()
                .put("sub", uid)
                .put("appcode", appcode)
                .put("iat", now - ISSUED_BEFORE_SECONDS)
                .put("exp", now + VALID_SECONDS));
    String signed = header + "." + claims;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signed
          + "."
          + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String encode(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
