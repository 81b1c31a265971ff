package io.courier.tls;

import io.vertx.core.http.ClientAuth;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The TLS of one listener, from the configuration: its PEM files and whether it asks clients for
 * certificates.
 *
 * @param listener the listener's name in logs and meters: {@code gate}, {@code http}, {@code
 *     admin}, {@code bridge}, {@code cluster}
 * @param cert the certificate chain, leaf first
 * @param key the private key of the leaf
 * @param clientCa the authorities whose client certificates are accepted, or null for none
 * @param clientAuth {@link ClientAuth#NONE} when {@code clientCa} is null
 */
public record TlsSettings(
    String listener, Path cert, Path key, Path clientCa, ClientAuth clientAuth) {

  public TlsSettings {
    Objects.requireNonNull(listener);
    Objects.requireNonNull(cert);
    Objects.requireNonNull(key);
    Objects.requireNonNull(clientAuth);
    if ((clientCa == null) != (clientAuth == ClientAuth.NONE)) {
      throw new IllegalArgumentException("client authentication needs a client CA, and only then");
    }
  }

  /** A listener that asks for no client certificate. */
  public static TlsSettings serverOnly(String listener, Path cert, Path key) {
    return new TlsSettings(listener, cert, key, null, ClientAuth.NONE);
  }
}
