package io.courier.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.courier.config.ConfigException;
import io.courier.config.ConfigKeys;
import io.courier.config.CourierConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Hazelcast cluster manager of a Courier node: {@code cluster.xml} (conf/cluster.xml, packaged
 * in the jar; {@code -Dvertx.hazelcast.config} replaces it) with Courier's configuration applied
 * over it — cluster name, member port, interface, the TCP-IP member list and the join wait.
 * Multicast stays off: members are listed, so a node never joins a cluster it was not told about.
 *
 * <p>Hazelcast binds one interface only, never the wildcard address: the one {@code cluster.host}
 * names or resolves to, loopback when it is unset ({@link #bindAddress}). The clustered event bus
 * binds the same host ({@code CourierHooks}, or Vert.x's default: the cluster manager's host).
 *
 * @implNote Hazelcast's own default binds every interface ({@code hazelcast.socket.bind.any}) and
 *     announces the first one it likes, so a node on a host with a public interface listened there
 *     too, where anyone could join the cluster and read its maps (docs/cluster.md section 11).
 *     Rejected: binding the announced address only when it is an IPv4 literal, as before, which
 *     left a host name (as in docker/compose.yaml) on every interface.
 */
public final class HazelcastSetup {
  /** The interface of a cluster without {@code cluster.host}: this host only. */
  static final String DEFAULT_HOST = "127.0.0.1";

  private HazelcastSetup() {}

  public static HazelcastClusterManager clusterManager(CourierConfig config) {
    return new HazelcastClusterManager(hazelcastConfig(config));
  }

  /**
   * The address Hazelcast binds: {@code cluster.host} (an IPv4 address, or a host name resolved
   * now), or {@value #DEFAULT_HOST} when unset.
   *
   * @throws ConfigException when it does not resolve, is not IPv4, or is the wildcard address
   */
  public static InetAddress bindAddress(CourierConfig config) {
    String host = config.clusterHost() == null ? DEFAULT_HOST : config.clusterHost();
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw ConfigKeys.CLUSTER_HOST.invalid("does not resolve: " + host);
    }
    if (!(address instanceof Inet4Address)) {
      throw ConfigKeys.CLUSTER_HOST.invalid(
          "must be or resolve to an IPv4 address, got " + address.getHostAddress());
    }
    if (address.isAnyLocalAddress()) {
      throw ConfigKeys.CLUSTER_HOST.invalid(
          "must name one interface, not the wildcard address " + address.getHostAddress());
    }
    return address;
  }

  static Config hazelcastConfig(CourierConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.clusterName());
    hazelcast.setProperty(
        "hazelcast.wait.seconds.before.join", Integer.toString(config.joinWaitSeconds()));
    hazelcast.setProperty(
        "hazelcast.max.wait.seconds.before.join", Integer.toString(2 * config.joinWaitSeconds()));
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(false);
    if (config.clusterHost() != null) {
      network.setPublicAddress(config.clusterHost() + ":" + config.clusterPort());
    }
    // Hazelcast's interfaces are IP patterns: a host name is bound as the address it resolves to
    network
        .getInterfaces()
        .setEnabled(true)
        .clear()
        .addInterface(bindAddress(config).getHostAddress());
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!config.clusterMembers().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    }
    return hazelcast;
  }
}
