package io.courier.config;

import java.util.Locale;

/**
 * Whether the bridge refuses a business without a client certificate ({@code
 * bridge.tlsClientAuth}).
 */
public enum ClientAuthMode {
  /** A connection without a certificate of the configured authorities is refused. */
  REQUIRED,
  /** A certificate is asked for; a connection without one is accepted too. */
  REQUESTED;

  /** The name in the configuration: {@code required}, {@code requested}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
