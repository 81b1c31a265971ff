package io.courier.cluster;

import io.courier.client.CourierClient;
import io.courier.testkit.LocalServices;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three clustered nodes in one JVM; a business streams requests into node 0's bridge while node 2
 * crashes ({@link FailoverScenario}): every request gets its reply within 2 s.
 */
class FailoverTest {
  private static final String DATABASE = "courier_failover_test";
  private static final int APPCODE = 201;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private Vertx clientVertx;
  private CourierClient client;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @BeforeEach
  void startCluster() {
    clientVertx = Vertx.vertx();
    client = new CourierClient(clientVertx);
    nodes.addAll(ClusterNode.startOnMysql(clientVertx, "courier-failover", DATABASE, 3));
  }

  @AfterEach
  void stopCluster() {
    client.close().await();
    ClusterNode.stopAll(nodes);
    clientVertx.close().await();
  }

  @Test
  void bridgeRequestsToALiveNodeAreAllAnsweredWithinTwoSecondsWhileAnotherNodeCrashes()
      throws Exception {
    Tokens tokens = new Tokens(clientVertx);
    TestSession.login(client, nodes.get(1).gatePort(), tokens, "fo-near", APPCODE, true);
    TestSession.login(client, nodes.get(2).gatePort(), tokens, "fo-far", APPCODE, true);
    new FailoverScenario("fo-near", "fo-far", APPCODE)
        .run(bridgePort(nodes.get(0)), () -> nodes.get(2).crash(), () -> "in-JVM cluster");
  }

  private static int bridgePort(ClusterNode node) {
    return node.config.getJsonObject("bridge").getInteger("port");
  }
}
