package io.courier.bridge;

import io.courier.config.BridgeBusiness;
import io.courier.config.CourierConfig;
import io.courier.tls.PeerCertificates;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * The businesses that may use the bridge: those of {@code bridge.businesses}, plus the one of
 * {@code bridge.secret} when it is set. With neither, the bridge is open: every connection acts for
 * one business that may use the whole business API without a credential, as before credentials
 * existed.
 */
final class Businesses {
  private final List<Business> all;
  private final Business open;

  Businesses(List<Business> all) {
    this.all = List.copyOf(all);
    this.open = all.isEmpty() ? Business.open() : null;
  }

  static Businesses of(CourierConfig config) {
    List<Business> all = new ArrayList<>();
    for (BridgeBusiness configured : config.bridgeBusinesses()) {
      all.add(Business.of(configured));
    }
    if (config.bridgeSecret() != null) {
      all.add(Business.shared(config.bridgeSecret()));
    }
    return new Businesses(all);
  }

  /** The business every connection acts for when no credential is configured, else null. */
  Business open() {
    return open;
  }

  /**
   * The business whose secret is {@code given}, or null. Every secret is compared, each in constant
   * time, so the time taken does not tell how close a guess came.
   */
  Business bySecret(String given) {
    Business found = null;
    for (Business business : all) {
      if (business.hasSecret(given)) {
        found = business;
      }
    }
    return found;
  }

  /** The business a client certificate with {@code subject} identifies, or null. */
  Business byCertificate(X500Principal subject) {
    for (Business business : all) {
      if (business.hasCertificate(subject)) {
        return business;
      }
    }
    return null;
  }

  /**
   * The business whose certificate the client of {@code socket} showed, or null: a plain socket, a
   * client without a certificate, or one of no business. Only a bridge listener that verifies
   * client certificates against a CA (TLS) makes one worth trusting.
   */
  Business byPeer(NetSocket socket) {
    return PeerCertificates.leaf(socket)
        .map(leaf -> byCertificate(leaf.getSubjectX500Principal()))
        .orElse(null);
  }

  /** How many businesses have credentials: the names of metrics are bounded by it. */
  int size() {
    return all.size();
  }
}
