package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.CourierConfig;
import io.courier.contract.CourierException;
import io.courier.protocol.Code;
import io.courier.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper of a one-member cluster whose lease map changes under it, as it does when the
 * detectors declare the node dead: the generator never issues the node id again once the check has
 * seen it go, and issues ids under a new lease. The node that stalls is {@code NodeIdFenceIT}.
 */
class NodeIdLeaseVerticleTest {
  /** A few checks: the keeper checks every {@value LeaseFence#CHECK_INTERVAL_MS} ms. */
  private static final long BOUND_MS = 5_000;

  private Vertx vertx;
  private HazelcastClusterManager clusterManager;
  private AsyncMap<Integer, String> leases;

  @BeforeEach
  void startClusteredVertx() {
    int port = FreePorts.next();
    clusterManager =
        HazelcastSetup.clusterManager(
            CourierConfig.from(
                new JsonObject()
                    .put(
                        "cluster",
                        new JsonObject()
                            .put("name", "courier-lease-" + UUID.randomUUID())
                            .put("host", "127.0.0.1")
                            .put("port", port)
                            .put("members", new JsonArray().add("127.0.0.1:" + port))
                            .put("joinWaitSeconds", 0))));
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
            .withClusterManager(clusterManager)
            .buildClustered()
            .await();
    leases = vertx.sharedData().<Integer, String>getAsyncMap(NodeIdLeases.MAP).await();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  @Test
  void aNodeIdHeldByAnotherNodeIsNeverIssuedAgainOnceSeenAndAnotherIsLeased() throws Exception {
    MsgIdGenerator ids = NodeIdLeaseVerticle.deploy(vertx, clusterManager, 7, 0).await();
    long previous = ids.next();
    assertEquals(7, MsgIdGenerator.nodeOf(previous));
    assertEquals(clusterManager.getNodeId(), leases.get(7).await());

    leases.put(7, "another-node").await();
    long seenAt = System.currentTimeMillis();
    boolean moved = false;
    while (!moved) {
      assertTrue(System.currentTimeMillis() - seenAt < BOUND_MS, "the node kept node id 7");
      long id = issued(ids);
      if (id != 0) {
        assertTrue(id > previous, id + " after " + previous);
        moved = MsgIdGenerator.nodeOf(id) != 7;
        previous = id;
      }
      Thread.sleep(10);
    }

    assertEquals(8, MsgIdGenerator.nodeOf(previous), "the next free id from the hint upwards");
    assertEquals(clusterManager.getNodeId(), leases.get(8).await());
    for (int i = 0; i < 20; i++) {
      long id = ids.next();
      assertEquals(8, MsgIdGenerator.nodeOf(id));
      assertTrue(id > previous);
      previous = id;
      Thread.sleep(LeaseFence.CHECK_INTERVAL_MS / 5);
    }
  }

  @Test
  void aReleasedLeaseIsTakenAgain() throws Exception {
    MsgIdGenerator ids = NodeIdLeaseVerticle.deploy(vertx, clusterManager, 3, 0).await();

    leases.remove(3).await();

    long releasedAt = System.currentTimeMillis();
    while (!clusterManager.getNodeId().equals(leases.get(3).await())) {
      assertTrue(System.currentTimeMillis() - releasedAt < BOUND_MS, "lease 3 not taken again");
      Thread.sleep(50);
    }
    assertEquals(3, MsgIdGenerator.nodeOf(ids.next()));
  }

  @Test
  void anUndeployedKeeperLeavesTheGeneratorWithoutLease() {
    MsgIdGenerator ids = NodeIdLeaseVerticle.deploy(vertx, clusterManager, 0, 0).await();
    ids.next();

    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await();

    CourierException refused = assertThrows(CourierException.class, ids::next);
    assertEquals(Code.UNAVAILABLE, refused.code());
  }

  /** The next id, or 0 while the generator refuses. */
  private static long issued(MsgIdGenerator ids) {
    try {
      return ids.next();
    } catch (CourierException refused) {
      assertEquals(Code.UNAVAILABLE, refused.code());
      return 0;
    }
  }
}
