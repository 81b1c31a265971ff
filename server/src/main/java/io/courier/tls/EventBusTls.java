package io.courier.tls;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS on the clustered event bus, both ways: each node serves and connects with its certificate and
 * accepts only peers whose certificate its CA signed, so a JVM without such a certificate can
 * neither read nor send node-to-node traffic.
 *
 * @implNote The files are given as paths, not values: Vert.x copies the event-bus options through
 *     JSON to build its client. There is no reload: Vert.x cannot change the event bus's TLS
 *     options while it runs, so a new certificate takes a rolling restart.
 *     <p>Host names are not checked (Vert.x's event-bus client never does): nodes announce
 *     addresses, often IPs, and the CA, which signs node certificates only, is what is trusted.
 */
public final class EventBusTls {
  private EventBusTls() {}

  /**
   * Turns TLS on in {@code options} with {@code settings}, whose client CA is the cluster's CA;
   * returns {@code options}.
   */
  public static EventBusOptions enable(EventBusOptions options, TlsSettings settings) {
    if (settings.clientCa() == null || settings.clientAuth() != ClientAuth.REQUIRED) {
      throw new IllegalArgumentException(
          "the event bus needs the cluster CA and client certificates");
    }
    options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(settings.cert().toString())
                .setKeyPath(settings.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(settings.clientCa().toString()))
        .setClientAuth(ClientAuth.REQUIRED)
        .setEnabledSecureTransportProtocols(ServerTls.protocols());
    return options;
  }
}
