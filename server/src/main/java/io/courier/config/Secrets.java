package io.courier.config;

import java.nio.charset.StandardCharsets;

/**
 * The rules every secret of the configuration follows: the HS256 secrets of {@code apps}, the
 * bridge secret and the admin token.
 *
 * <ul>
 *   <li>At least {@value #MIN_BYTES} bytes (in UTF-8): RFC 7518 section 3.2 requires an HS256 key
 *       of at least the hash's 256 bits, and a shorter secret can be guessed offline from one
 *       token. A shorter one stops the start-up.
 *   <li>A <em>published</em> secret — {@link Apps#DEV_SECRET}, or a placeholder of Courier's
 *       examples, which all start with {@value #PLACEHOLDER_PREFIX} — is a development secret:
 *       anyone can read it, so with one in use the node listens on loopback only ({@link
 *       DevelopmentMode}).
 * </ul>
 */
public final class Secrets {
  /** The shortest secret accepted, in bytes of UTF-8: 32 (256 bits). */
  public static final int MIN_BYTES = 32;

  /** How every placeholder secret of Courier's example files starts. */
  public static final String PLACEHOLDER_PREFIX = "change-me";

  /** How to make a good secret, as start-up errors and the documents say it. */
  public static final String HOW_TO_GENERATE = "openssl rand -base64 32";

  private Secrets() {}

  /**
   * Why {@code secret} is refused, or null when it is long enough. The text never shows the secret.
   */
  static String weakness(String secret) {
    int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (bytes >= MIN_BYTES) {
      return null;
    }
    return "is "
        + bytes
        + " bytes long: a secret needs at least "
        + MIN_BYTES
        + " bytes (256 bits, RFC 7518 section 3.2); generate one with: "
        + HOW_TO_GENERATE;
  }

  /** Whether {@code secret} is published in Courier's code or examples. */
  public static boolean published(String secret) {
    return secret != null
        && (secret.equals(Apps.DEV_SECRET) || secret.startsWith(PLACEHOLDER_PREFIX));
  }
}
