package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.courier.testkit.RealApps;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HazelcastSetup}: Hazelcast binds one interface, the one of {@code cluster.host}, never
 * every interface. {@code ClusterIsolationTest} checks the ports of running members.
 */
class HazelcastSetupTest {

  private static CourierConfig host(String host) {
    JsonObject cluster = new JsonObject().put("port", 5801);
    // real secrets: with the development apps a host off loopback is refused
    return CourierConfig.from(
        new JsonObject()
            .put("apps", RealApps.json())
            .put("cluster", host == null ? cluster : cluster.put("host", host)));
  }

  @Test
  void withoutAHostTheClusterIsOnLoopbackOnly() {
    NetworkConfig network = HazelcastSetup.hazelcastConfig(host(null)).getNetworkConfig();
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertNull(network.getPublicAddress());
  }

  @Test
  void aHostIsAnnouncedAsWrittenAndBoundAsTheAddressItResolvesTo() {
    Config hazelcast = HazelcastSetup.hazelcastConfig(host("localhost"));
    NetworkConfig network = hazelcast.getNetworkConfig();
    assertEquals("localhost:5801", network.getPublicAddress());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertEquals("false", hazelcast.getProperty("hazelcast.socket.bind.any"));
    assertEquals(
        List.of("10.0.0.7"),
        List.copyOf(
            HazelcastSetup.hazelcastConfig(host("10.0.0.7"))
                .getNetworkConfig()
                .getInterfaces()
                .getInterfaces()));
  }

  @Test
  void theWildcardAnotherFamilyOrNoAddressAtAllIsRefused() {
    String[][] cases = {
      {"0.0.0.0", "must name one interface, not the wildcard address 0.0.0.0"},
      {"::1", "must be or resolve to an IPv4 address"},
      {"no-such-host.invalid", "does not resolve: no-such-host.invalid"},
    };
    for (String[] c : cases) {
      String message =
          assertThrows(ConfigException.class, () -> HazelcastSetup.bindAddress(host(c[0])))
              .getMessage();
      assertTrue(
          message.startsWith(
              "invalid configuration: cluster.host (environment COURIER_CLUSTER_HOST) " + c[1]),
          message);
    }
  }
}
