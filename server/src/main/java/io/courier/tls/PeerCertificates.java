package io.courier.tls;

import io.vertx.core.net.NetSocket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is at the other end of a TLS connection whose listener asks for client certificates (the
 * bridge with {@code bridge.tlsClientCa}): the subject of the certificate the handshake verified
 * against the configured CA. Mapping subjects to businesses is the bridge's business.
 */
public final class PeerCertificates {
  private PeerCertificates() {}

  /**
   * The verified client certificate's subject (RFC 2253, e.g. {@code CN=dispatch,O=Example}), or
   * empty when the connection is plain or the client sent none ({@code requested} mode).
   */
  public static Optional<String> subject(NetSocket socket) {
    return leaf(socket).map(leaf -> leaf.getSubjectX500Principal().getName());
  }

  /** The verified client certificate, or empty as for {@link #subject(NetSocket)}. */
  public static Optional<X509Certificate> leaf(NetSocket socket) {
    if (!socket.isSsl()) {
      return Optional.empty();
    }
    try {
      List<Certificate> chain = socket.peerCertificates();
      return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)
          ? Optional.empty()
          : Optional.of(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
