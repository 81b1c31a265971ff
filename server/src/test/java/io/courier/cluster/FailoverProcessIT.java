package io.courier.cluster;

import io.courier.client.CourierClient;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three Courier processes from the jar (Redis presence, two MySQL shards); a business streams
 * requests into node 0's bridge while node 2 is killed with SIGKILL ({@link FailoverScenario}).
 * Every request gets its reply within 2 s: node 0 serves its own bridge, and its pushes to the dead
 * node's gate fail over to the offline store as soon as the node is gone.
 */
class FailoverProcessIT {
  private static final int APPCODE = 101;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private CourierProcesses cluster;
  private Vertx vertx;
  private CourierClient client;

  @BeforeAll
  static void backendsRun() {
    LocalServices.requireRedis();
    LocalServices.requireMysql();
  }

  @BeforeEach
  void startCluster() throws Exception {
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    List<String> shards = List.of("courier_fo_0", "courier_fo_1");
    MySqlDatabases.recreate(vertx, shards);
    cluster = CourierProcesses.start(3, shards);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    client.close().await();
    vertx.close().await();
  }

  @Test
  void bridgeRequestsToALiveNodeAreAllAnsweredWithinTwoSecondsWhileAnotherNodeIsKilled()
      throws Exception {
    String near = "fo-near-" + run;
    String far = "fo-far-" + run;
    Tokens tokens = new Tokens(vertx);
    cluster.login(client, 1, tokens, near, APPCODE, true);
    cluster.login(client, 2, tokens, far, APPCODE, true);
    new FailoverScenario(near, far, APPCODE)
        .run(cluster.node(0).bridgePort(), () -> cluster.kill(2), cluster::describe);
  }
}
