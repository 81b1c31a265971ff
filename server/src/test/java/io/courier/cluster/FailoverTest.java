package io.courier.cluster;

import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three clustered nodes in one JVM; a business streams requests into node 0's bridge while node 2
 * crashes ({@link FailoverScenario}): every request gets its reply within 2 s.
 */
class FailoverTest {
  private static final String DATABASE = "courier_failover_test";
  private static final int APPCODE = 201;
  @RegisterExtension final ClusterSide cluster = new ClusterSide("courier-failover", DATABASE, 3);

  @Test
  void bridgeRequestsToALiveNodeAreAllAnsweredWithinTwoSecondsWhileAnotherNodeCrashes()
      throws Exception {
    Tokens tokens = new Tokens(cluster.vertx());
    TestSession.login(
        cluster.client(), cluster.nodes().get(1).gatePort(), tokens, "fo-near", APPCODE, true);
    TestSession.login(
        cluster.client(), cluster.nodes().get(2).gatePort(), tokens, "fo-far", APPCODE, true);
    new FailoverScenario("fo-near", "fo-far", APPCODE)
        .run(
            bridgePort(cluster.nodes().get(0)),
            () -> cluster.nodes().get(2).crash(),
            () -> "in-JVM cluster");
  }

  private static int bridgePort(ClusterNode node) {
    return node.config.getJsonObject("bridge").getInteger("port");
  }
}
