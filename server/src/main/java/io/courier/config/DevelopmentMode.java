package io.courier.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Development mode: the node runs with a published secret ({@link Secrets#published}), the built-in
 * development apps' or a placeholder of the examples. Anyone can sign tokens (or call the bridge,
 * or the admin API) with such a secret, so the node must not be reachable from other hosts: every
 * listener — gate, HTTP, admin, bridge, cluster — binds loopback.
 *
 * <ul>
 *   <li>A listener whose host is left unset binds {@value #LOOPBACK} instead of its default (gate
 *       and HTTP default to every interface; admin, bridge and cluster are on loopback already). So
 *       the one-command run on a laptop works, and is reachable from that laptop only.
 *   <li>A host set explicitly that is not a loopback address stops the start-up.
 * </ul>
 *
 * @implNote An explicit host is refused rather than replaced by loopback: the operator asked for
 *     another interface, and a node that started on loopback instead would look healthy while no
 *     client could reach it, found out only when they fail (in a container, for one); honouring it
 *     would expose the published secret. The refusal names the fix.
 */
public final class DevelopmentMode {
  /** The address a listener binds in development mode when its host is unset. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Every listener's host key: what development mode keeps on loopback. */
  static final List<ConfigKey<String>> LISTENER_HOSTS =
      List.of(
          ConfigKeys.GATE_HOST,
          ConfigKeys.HTTP_HOST,
          ConfigKeys.OPS_ADMIN_HOST,
          ConfigKeys.BRIDGE_HOST,
          ConfigKeys.CLUSTER_HOST);

  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private final List<String> published;

  private DevelopmentMode(List<String> published) {
    this.published = List.copyOf(published);
  }

  /** The mode the secrets of a configuration put the node in. */
  static DevelopmentMode of(Apps apps, String bridgeSecret, String adminToken) {
    List<String> published = new ArrayList<>();
    List<Integer> appcodes = apps.withPublishedSecret();
    if (!appcodes.isEmpty()) {
      published.add(
          "apps " + appcodes.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (Secrets.published(bridgeSecret)) {
      published.add(ConfigKeys.BRIDGE_SECRET.path());
    }
    if (Secrets.published(adminToken)) {
      published.add(ConfigKeys.OPS_ADMIN_TOKEN.path());
    }
    return new DevelopmentMode(published);
  }

  /** Whether a published secret is in use. */
  public boolean active() {
    return !published.isEmpty();
  }

  /** Which keys hold a published secret, e.g. {@code apps 101, 102 and ops.adminToken}. */
  public String publishedSecrets() {
    if (published.size() < 2) {
      return String.join("", published);
    }
    return String.join(", ", published.subList(0, published.size() - 1))
        + " and "
        + published.get(published.size() - 1);
  }

  /**
   * The host the listener of {@code key} binds: {@code configured} (null: the listener's own
   * default), or in development mode {@value #LOOPBACK} when it is unset and not loopback.
   *
   * @param explicit whether the configuration sets the key (its default does not count)
   * @throws ConfigException in development mode, for an explicit host that is not loopback
   */
  String host(ConfigKey<String> key, String configured, boolean explicit) {
    if (!active() || (configured != null && isLoopback(configured))) {
      return configured;
    }
    if (configured == null && key == ConfigKeys.CLUSTER_HOST) {
      // unset, the cluster binds loopback already (HazelcastSetup), and announces no address
      return null;
    }
    if (explicit) {
      throw key.invalid(
          "is "
              + configured
              + ", not a loopback address, while "
              + publishedSecrets()
              + " use a published development secret that anyone can sign with: configure real"
              + " secrets (generate each with: "
              + Secrets.HOW_TO_GENERATE
              + ") to listen on other interfaces, or leave "
              + key.path()
              + " unset to listen on "
              + LOOPBACK);
    }
    return LOOPBACK;
  }

  /**
   * Whether {@code host} names this machine's loopback: {@code localhost}, an IPv4 address of
   * 127.0.0.0/8, or {@code ::1}. Names other than {@code localhost} are not looked up.
   */
  public static boolean isLoopback(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals("localhost")
        || IPV4_LOOPBACK.matcher(name).matches()
        || name.equals("::1")
        || name.equals("[::1]")
        || name.equals("0:0:0:0:0:0:0:1");
  }
}
