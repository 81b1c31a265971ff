package io.courier.gate;

import io.courier.admin.Cidr;
import io.netty.util.NetUtil;
import java.util.List;

/**
 * The address of the client behind trusted reverse proxies. A proxy appends the address it got a
 * request from to {@code X-Forwarded-For}; anyone may write the header's earlier entries, so it is
 * read from the right, and only while the hops are trusted proxies: the first address that is not
 * one is the client. A connection that does not come from a trusted proxy is its own client.
 *
 * <pre>
 *  X-Forwarded-For: 198.51.100.7, 203.0.113.9, 10.0.0.5   (peer 10.0.0.6, proxies 10.0.0.0/8)
 *                                 ^ the client: the last address not in 10.0.0.0/8
 * </pre>
 */
final class ForwardedFor {
  static final String HEADER = "X-Forwarded-For";

  private final List<Cidr> proxies;

  /**
   * @param proxies the trusted proxies' addresses or blocks ({@code http.trustedProxies})
   */
  ForwardedFor(List<String> proxies) {
    this.proxies = proxies.stream().map(Cidr::parse).toList();
  }

  /**
   * The client's address of a connection from {@code peer} with {@code header} (null when absent);
   * an entry that is not an address ends the walk at the last trusted hop.
   */
  String clientOf(String peer, String header) {
    if (header == null || !trusted(NetUtil.createByteArrayFromIpAddressString(peer))) {
      return peer;
    }
    String client = peer;
    String[] hops = header.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      byte[] hop = NetUtil.createByteArrayFromIpAddressString(hops[i].trim());
      if (hop == null) {
        return client;
      }
      client = NetUtil.bytesToIpAddress(hop);
      if (!trusted(hop)) {
        return client;
      }
    }
    return client;
  }

  private boolean trusted(byte[] address) {
    if (address == null) {
      return false;
    }
    for (Cidr proxy : proxies) {
      if (proxy.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
