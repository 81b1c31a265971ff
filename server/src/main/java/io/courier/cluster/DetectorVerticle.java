package io.courier.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.courier.presence.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate-Detector: notices a node leaving the cluster (Hazelcast membership: under a second for a
 * crash, {@code max.no.heartbeat.seconds} for a silent node) and cleans up after it — its presence
 * records (all of them, through the per-node index), its gate-list entry and its msgid node id
 * lease — so that its users read offline and new messages for them go to the offline store.
 * Messages that were in flight to it were stored before being pushed and wait in the offline store
 * already.
 *
 * <p>Every detector of the cluster does this; the clean-up is idempotent. A periodic sweep also
 * cleans gate entries of nodes that are not members (left while no detector ran). A node declared
 * dead while alive (stalled for longer than Hazelcast's failure detection) loses its lease this
 * way; it issues no msgid from then until it holds a lease again ({@link NodeIdLeaseVerticle}).
 *
 * @implNote A Hazelcast {@link MembershipListener} is used rather than Vert.x's node listener: the
 *     cluster manager holds a single node listener, which Vert.x itself takes.
 */
public final class DetectorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorVerticle.class);

  /** Hazelcast member attribute that holds the Vert.x node id (set by vertx-hazelcast). */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  static final long SWEEP_INTERVAL_MS = 10_000;

  private final HazelcastClusterManager clusterManager;
  private final PresenceStore presence;
  private UUID listener;

  public DetectorVerticle(HazelcastClusterManager clusterManager, PresenceStore presence) {
    this.clusterManager = clusterManager;
    this.presence = presence;
  }

  @Override
  public Future<?> start() {
    listener =
        clusterManager
            .getHazelcastInstance()
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {}

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    String node = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
                    long noticed = System.currentTimeMillis();
                    if (node != null) {
                      context.runOnContext(v -> cleanUp(node, noticed));
                    }
                  }
                });
    vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweep());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    clusterManager.getHazelcastInstance().getCluster().removeMembershipListener(listener);
    return Future.succeededFuture();
  }

  private void cleanUp(String node, long noticed) {
    LOG.warn("node {} left the cluster; removing its presence, gate entry and msgid lease", node);
    new GateDirectory(vertx).remove(node);
    new NodeIdLeases(vertx).releaseAll(node);
    presence
        .removeNode(node)
        .onComplete(
            removed ->
                LOG.warn(
                    "node {}: {} within {} ms of noticing it left",
                    node,
                    removed.succeeded()
                        ? removed.result() + " presence records removed"
                        : "presence not cleaned, " + removed.cause(),
                    System.currentTimeMillis() - noticed));
  }

  private void sweep() {
    Set<String> members = new HashSet<>(clusterManager.getNodes());
    new GateDirectory(vertx)
        .gates()
        .onSuccess(
            gates ->
                gates.stream()
                    .map(gate -> gate.getString("node"))
                    .filter(node -> !members.contains(node))
                    .forEach(node -> cleanUp(node, System.currentTimeMillis())));
  }
}
