package io.courier.config;

import java.util.Locale;

/**
 * Whether the gate expects a PROXY protocol header on each connection ({@code gate.proxyProtocol}).
 */
public enum ProxyProtocol {
  /** Clients connect directly: the socket's peer is the client. */
  OFF,
  /** A load balancer connects and announces the client's address in a PROXY header (v1 or v2). */
  ON;

  /** The name in the configuration: {@code off}, {@code on}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
