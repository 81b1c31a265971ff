package io.courier.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.courier.config.CourierConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster manager of a Courier node: {@code cluster.xml} (conf/cluster.xml, packaged
 * in the jar; {@code -Dvertx.hazelcast.config} replaces it) with Courier's configuration applied
 * over it — cluster name, member port, interface, the TCP-IP member list and the join wait.
 * Multicast stays off: members are listed, so a node never joins a cluster it was not told about.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {}

  public static HazelcastClusterManager clusterManager(CourierConfig config) {
    return new HazelcastClusterManager(hazelcastConfig(config));
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
      if (config.clusterHost().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
        // Hazelcast's interfaces are IP patterns; a host name is only announced
        network.getInterfaces().setEnabled(true).clear().addInterface(config.clusterHost());
        hazelcast.setProperty("hazelcast.socket.bind.any", "false");
      }
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!config.clusterMembers().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    }
    return hazelcast;
  }
}
