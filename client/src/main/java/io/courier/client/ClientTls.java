package io.courier.client;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client reaches a node's TLS listener: not at all ({@link #plain()}), trusting the JDK's
 * certificate authorities ({@link #systemTrust()}, for a certificate of a public CA), or trusting
 * the authorities of one PEM file ({@link #trusting(Path)}, for a private CA or a self-signed
 * certificate). The node's host name (or IP) must be in its certificate; TLS 1.2 and 1.3 only, as
 * the node speaks.
 */
public record ClientTls(boolean enabled, Path caFile) {
  /** The protocol versions a Courier node speaks. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  /**
   * @param enabled TLS or plain TCP
   * @param caFile the CA certificates trusted (PEM), or null for the JDK's trust store; only with
   *     TLS
   */
  public ClientTls {
    if (!enabled && caFile != null) {
      throw new IllegalArgumentException("a CA file is for TLS");
    }
  }

  /** Plain TCP. */
  public static ClientTls plain() {
    return new ClientTls(false, null);
  }

  /** TLS, trusting the authorities of the JDK's trust store. */
  public static ClientTls systemTrust() {
    return new ClientTls(true, null);
  }

  /** TLS, trusting only the certificates of {@code caFile} (PEM). */
  public static ClientTls trusting(Path caFile) {
    return new ClientTls(true, caFile);
  }

  /** Applies this to {@code options} (host-name check included) and returns them. */
  public NetClientOptions applyTo(NetClientOptions options) {
    if (!enabled) {
      return options;
    }
    options
        .setSsl(true)
        .setHostnameVerificationAlgorithm("HTTPS")
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    }
    return options;
  }

  /**
   * A JDK socket over {@code plain}, already connected to {@code host}, after a completed handshake
   * that checked {@code host} against the certificate: for blocking clients such as the CLI's
   * bridge client.
   */
  public SSLSocket wrap(Socket plain, String host) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            sslContext().getSocketFactory().createSocket(plain, host, plain.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private SSLContext sslContext() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(caFile == null ? null : trustStore(caFile));
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS set-up failed: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException(caFile + " holds no certificate");
      }
    }
    return store;
  }
}
