package io.courier.push;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Signs the compact JWTs the providers want: ES256 for APNs provider tokens, RS256 for the Google
 * OAuth assertion of FCM, with the JDK's signatures.
 *
 * @implNote ES256 uses the JDK's {@code SHA256withECDSAinP1363Format}, whose output is the {@code r
 *     || s} pair JWS wants (RFC 7518 3.4), so no DER-to-JOSE conversion is needed. Rejected:
 *     vertx-auth-jwt, which adds a {@code typ} header APNs does not document and loads keys through
 *     its own key store; google-auth-library, a dependency tree for one signature.
 */
final class Jwt {
  /** JWS ES256: ECDSA P-256 with SHA-256. */
  static final String ES256 = "SHA256withECDSAinP1363Format";

  /** JWS RS256: RSASSA-PKCS1-v1_5 with SHA-256. */
  static final String RS256 = "SHA256withRSA";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  /** {@code header.claims.signature}, each part base64url without padding. */
  static String sign(JsonObject header, JsonObject claims, PrivateKey key, String algorithm) {
    String signingInput = encode(header.encode()) + "." + encode(claims.encode());
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /**
   * The private key of a PEM {@code PRIVATE KEY} (PKCS #8, as in an APNs {@code .p8} file and a
   * Google service account), of algorithm {@code algorithm} ({@code EC} or {@code RSA}).
   *
   * @throws IllegalArgumentException when {@code pem} holds no such key
   */
  static PrivateKey privateKey(String pem, String algorithm) {
    String base64 =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a PEM PKCS #8 " + algorithm + " private key (BEGIN PRIVATE KEY)", e);
    }
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
