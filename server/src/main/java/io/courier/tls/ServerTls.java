package io.courier.tls;

import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS side of a listener's server options, from its {@link PemBundle}: TLS 1.2 and 1.3 only,
 * the JDK's default cipher suites for them, the key and chain given as values (not paths) so that a
 * reload is told apart from the running options by content.
 *
 * @implNote The cipher suites are left to the JDK: for TLS 1.2 and 1.3 it enables only suites with
 *     forward secrecy and AEAD first, and it drops suites as they are broken; a list kept here
 *     would age.
 */
public final class ServerTls {
  /** The protocol versions every Courier listener speaks; older ones get a handshake alert. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  private ServerTls() {}

  /** The options {@code updateSSLOptions} takes, for {@code bundle}. */
  public static ServerSSLOptions sslOptions(PemBundle bundle) {
    ServerSSLOptions options =
        new ServerSSLOptions()
            .setKeyCertOptions(
                new PemKeyCertOptions().setCertValue(bundle.cert()).setKeyValue(bundle.key()))
            .setEnabledSecureTransportProtocols(protocols())
            .setClientAuth(bundle.settings().clientAuth());
    if (bundle.clientCa() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(bundle.clientCa()));
    }
    return options;
  }

  /** Turns TLS on in {@code server} (a NetServerOptions or an HttpServerOptions) and returns it. */
  public static <T extends NetServerOptions> T enable(T server, PemBundle bundle) {
    ServerSSLOptions ssl = sslOptions(bundle);
    server
        .setSsl(true)
        .setKeyCertOptions(ssl.getKeyCertOptions())
        .setTrustOptions(ssl.getTrustOptions())
        .setClientAuth(ssl.getClientAuth())
        .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
    return server;
  }

  static Set<String> protocols() {
    return new LinkedHashSet<>(PROTOCOLS);
  }
}
