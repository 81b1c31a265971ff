package io.courier.gate;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may open the WebSocket gate: a browser names the page's origin in the {@code
 * Origin} header, so a page of another site cannot use a user's browser to talk to the gate.
 *
 * <p>With no origins configured only the same origin is accepted: the {@code Origin}'s host and
 * port are the request's {@code Host} (the console served by the node, or by a reverse proxy that
 * passes {@code Host} on). {@code *} accepts every origin. A request without {@code Origin} does
 * not come from a browser page (a phone, a server, Node) and is accepted: such a client can send
 * any header it likes, so checking it would protect nothing.
 */
final class OriginPolicy {
  private final boolean any;
  private final Set<String> allowed;

  OriginPolicy(List<String> origins) {
    this.any = origins.contains("*");
    this.allowed =
        origins.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /**
   * @param origin the request's {@code Origin} header, or null
   * @param host the request's {@code Host} header, or null
   */
  boolean accepts(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String normalized = origin.toLowerCase(Locale.ROOT);
    if (allowed.contains(normalized)) {
      return true;
    }
    return allowed.isEmpty() && host != null && sameAuthority(normalized, host);
  }

  private static boolean sameAuthority(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (uri.getHost() == null || uri.getScheme() == null) {
      return false;
    }
    int defaultPort = uri.getScheme().equals("https") ? 443 : 80;
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    String wanted = host.toLowerCase(Locale.ROOT);
    return wanted.equals(uri.getHost() + ":" + port)
        || port == defaultPort && wanted.equals(uri.getHost());
  }
}
