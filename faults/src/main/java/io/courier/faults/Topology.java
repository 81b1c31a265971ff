package io.courier.faults;

import java.util.List;

/**
 * Names and addresses of the suite's network, and the secrets its cluster is configured with: one
 * place to change them. The bridge and the namespaces carry a prefix no one else uses, so that a
 * clean-up removes only what a run of the suite made.
 */
final class Topology {
  /** Prefix of every namespace and link the suite creates. */
  static final String PREFIX = "cfault";

  static final String BRIDGE = PREFIX + "br";

  /** The bridge's subnet; the host side (Redis, MariaDB, the workload) is {@code .1}. */
  static final String SUBNET = "10.213.77";

  static final String HOST_ADDRESS = SUBNET + ".1";

  /** Courier's ports inside each node's namespace: every node has its own address. */
  static final int GATE_PORT = 9000;

  static final int BRIDGE_PORT = 7000;
  static final int HTTP_PORT = 8080;
  static final int ADMIN_PORT = 8090;
  static final int HAZELCAST_PORT = 5701;

  /** The appcode every terminal logs in with, and the C2S msgtype of the workload. */
  static final int APPCODE = 101;

  static final int C2S_MSGTYPE = 7;

  /**
   * HS256 secret of {@link #APPCODE}: at least 32 bytes, as a production secret must be, and the
   * suite's own, so it does not depend on the node's built-in development secret.
   */
  static final String APP_SECRET = "courier-faults-suite-app-secret-0123456789";

  static final String BRIDGE_SECRET = "courier-faults-suite-bridge-secret-0123456789";
  static final String ADMIN_TOKEN = "courier-faults-suite-admin-token-0123456789";

  /** Seals the nodes' internal messages to each other (cluster.md section 11). */
  static final String CLUSTER_SECRET = "courier-faults-suite-cluster-secret-0123456789";

  private Topology() {}

  /** Node {@code index} (0-based): namespace, host-side link and address. */
  record NodeNet(int index, String namespace, String link, String address) {
    String name() {
      return "n" + (index + 1);
    }
  }

  static NodeNet node(int index) {
    return new NodeNet(
        index,
        PREFIX + "-n" + (index + 1),
        PREFIX + "v" + (index + 1),
        SUBNET + "." + (11 + index));
  }

  static List<NodeNet> nodes(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(Topology::node).toList();
  }
}
