package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Provider tokens a JOSE library would accept: ES256 for APNs, RS256 for Google. */
class JwtTest {

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static String pem(KeyPair key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** Whether {@code jwt} is signed by {@code key} with the JDK algorithm {@code algorithm}. */
  static boolean verifies(String jwt, KeyPair key, String algorithm) throws Exception {
    int lastDot = jwt.lastIndexOf('.');
    Signature signature = Signature.getInstance(algorithm);
    signature.initVerify(key.getPublic());
    signature.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
    return signature.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)));
  }

  static JsonObject part(String jwt, int index) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
  }

  @Test
  void anApnsProviderTokenIsEs256WithTheKeyIdAndTeam() throws Exception {
    KeyPair key = ecKey();
    ApnsToken token =
        new ApnsToken(
            Jwt.privateKey(pem(key), "EC"), "KEY1234567", "TEAM123456", () -> 1_700_000_000_000L);

    String jwt = token.current();

    assertEquals(new JsonObject().put("alg", "ES256").put("kid", "KEY1234567"), part(jwt, 0));
    assertEquals(
        new JsonObject().put("iss", "TEAM123456").put("iat", 1_700_000_000L), part(jwt, 1));
    assertEquals(64, Base64.getUrlDecoder().decode(jwt.split("\\.")[2]).length, "r || s");
    assertTrue(verifies(jwt, key, Jwt.ES256));
  }

  @Test
  void theProviderTokenIsReusedForFiftyMinutesAndRenewedOnlyAfterTwenty() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    ApnsToken token = new ApnsToken(Jwt.privateKey(pem(ecKey()), "EC"), "K", "T", now::get);
    String first = token.current();

    now.addAndGet(ApnsToken.REFRESH_MS - 1);
    assertSame(first, token.current());
    now.addAndGet(1);
    String second = token.current();
    assertNotEquals(first, second);

    token.refused();
    assertSame(second, token.current(), "a token younger than 20 minutes is kept");
    now.addAndGet(ApnsToken.MIN_REFRESH_MS);
    token.refused();
    assertNotEquals(second, token.current());
  }

  @Test
  void rs256SignsWithAnRsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair key = generator.generateKeyPair();

    String jwt =
        Jwt.sign(
            new JsonObject().put("alg", "RS256"),
            new JsonObject().put("iss", "courier@example.iam.gserviceaccount.com"),
            Jwt.privateKey(pem(key), "RSA"),
            Jwt.RS256);

    assertTrue(verifies(jwt, key, Jwt.RS256));
  }
}
