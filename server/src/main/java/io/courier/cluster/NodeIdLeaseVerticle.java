package io.courier.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a clustered node's msgid node id lease ({@link NodeIdLeases}) for its {@link
 * MsgIdGenerator}: leases an id at start, then checks every {@value LeaseFence#CHECK_INTERVAL_MS}
 * ms, and at once when a member joins or leaves or the node merged back into the cluster, that the
 * lease is still this node's. Each check that finds it so confirms it to the generator, which
 * issues ids for {@link LeaseFence#maxLeaseAgeMs()} after the check started; a check that finds it
 * released or held by another node (the detectors declared this node dead) revokes it and leases
 * the first free id from the configured one upwards. After a stall, a check first proves that the
 * cluster still counts this node as a member ({@link LeaseFence}). So a node that lost its lease
 * answers 503 from its first msgid after the stall until it holds a lease again.
 */
public final class NodeIdLeaseVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeIdLeaseVerticle.class);

  /** Probe keys start above every node id, so a probe never reads a lease. */
  private static final int FIRST_PROBE_KEY = MsgIdGenerator.MAX_NODE_ID + 1;

  /** Bound of the operation that proves membership: a non-member's is retried, not refused. */
  private static final long PROBE_TIMEOUT_MS = 1_000;

  private final HazelcastClusterManager clusterManager;
  private final int hint;
  private final MsgIdGenerator ids;
  private final LeaseFence fence;
  private NodeIdLeases leases;
  private String node;
  private int nodeId = -1;
  private boolean checking;
  private boolean checkAgain;
  private boolean failing;
  private long timer = -1;
  private UUID membershipListener;
  private UUID lifecycleListener;

  private NodeIdLeaseVerticle(
      HazelcastClusterManager clusterManager, int hint, MsgIdGenerator ids, LeaseFence fence) {
    this.clusterManager = clusterManager;
    this.hint = hint;
    this.ids = ids;
    this.fence = fence;
  }

  /**
   * Leases a msgid node id for this clustered node, from {@code hint} upwards, and deploys the
   * verticle that keeps it; completes with a generator that issues ids above {@code floor} once the
   * lease is held.
   */
  public static Future<MsgIdGenerator> deploy(
      Vertx vertx, HazelcastClusterManager clusterManager, int hint, long floor) {
    LeaseFence fence;
    try {
      HazelcastProperties properties =
          new HazelcastProperties(clusterManager.getHazelcastInstance().getConfig());
      fence =
          new LeaseFence(
              properties.getMillis(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS),
              properties.getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    MsgIdGenerator ids =
        MsgIdGenerator.leased(System::currentTimeMillis, floor, fence.maxLeaseAgeMs());
    return vertx.deployVerticle(new NodeIdLeaseVerticle(clusterManager, hint, ids, fence)).map(ids);
  }

  @Override
  public Future<?> start() {
    leases = new NodeIdLeases(vertx);
    node = clusterManager.getNodeId();
    long startedAt = ids.now();
    int others = otherMembers();
    fence.start(startedAt, others);
    return lease(startedAt, others)
        .onSuccess(
            v -> {
              HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
              membershipListener =
                  hazelcast
                      .getCluster()
                      .addMembershipListener(
                          new MembershipListener() {
                            @Override
                            public void memberAdded(MembershipEvent event) {
                              context.runOnContext(added -> check());
                            }

                            @Override
                            public void memberRemoved(MembershipEvent event) {
                              context.runOnContext(removed -> check());
                            }
                          });
              lifecycleListener =
                  hazelcast
                      .getLifecycleService()
                      .addLifecycleListener(
                          event -> {
                            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                              context.runOnContext(merged -> check());
                            }
                          });
              timer =
                  vertx.setPeriodic(
                      LeaseFence.CHECK_INTERVAL_MS,
                      id -> {
                        fence.tick(ids.now());
                        check();
                      });
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    ids.revoke();
    HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
    if (membershipListener != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
    }
    return Future.succeededFuture();
  }

  /** One check at a time; a check asked for meanwhile runs right after. */
  private void check() {
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    Future<Void> checked;
    try {
      checked = checkNow();
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    checked.onComplete(
        done -> {
          if (done.failed() && !failing) {
            LOG.warn(
                "check of msgid node id {} failed, retrying every {} ms: {}",
                nodeId,
                LeaseFence.CHECK_INTERVAL_MS,
                done.cause().toString());
          }
          failing = done.failed();
          checking = false;
          if (checkAgain) {
            checkAgain = false;
            check();
          }
        });
  }

  private Future<Void> checkNow() {
    long startedAt = ids.now();
    int others = otherMembers();
    boolean wasStalled = fence.stalled();
    LeaseFence.Trust trust = fence.start(startedAt, others);
    if (!wasStalled && fence.stalled()) {
      LOG.warn(
          "this node stalled; msgid node id {} waits until the cluster is known to count this node"
              + " as a member",
          nodeId);
    }
    Future<Boolean> member =
        switch (trust) {
          case READ -> Future.succeededFuture(true);
          case WAIT -> Future.succeededFuture(false);
          case PROVE ->
              probe()
                  .map(
                      proved -> {
                        fence.proved();
                        LOG.info("the cluster counts this node as a member; checking its lease");
                        return true;
                      })
                  .otherwise(false);
        };
    return member.compose(read -> read ? lease(startedAt, others) : Future.succeededFuture());
  }

  /**
   * Confirms the lease held since {@code startedAt}, or leases the first free id from the hint
   * upwards when it is not this node's (at start: there is none yet).
   */
  private Future<Void> lease(long startedAt, int others) {
    Future<String> holder = nodeId < 0 ? Future.succeededFuture() : leases.holder(nodeId);
    return holder.compose(
        held -> {
          if (node.equals(held)) {
            ids.confirm(nodeId, startedAt);
            fence.confirmed(others);
            return Future.succeededFuture();
          }
          if (nodeId >= 0) {
            ids.revoke();
            LOG.warn(
                "msgid node id {} is {}: this node lost its lease and takes another",
                nodeId,
                held == null ? "released" : "held by node " + held);
          }
          return leases
              .acquire(hint, node)
              .map(
                  leased -> {
                    nodeId = leased;
                    ids.confirm(leased, startedAt);
                    fence.confirmed(others);
                    LOG.info("msgid node id {} leased", leased);
                    return null;
                  });
        });
  }

  /**
   * Reads a key of the lease map that another member owns: Hazelcast runs the read only if that
   * member counts this node as a member.
   */
  private Future<Void> probe() {
    HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
    PartitionService partitions = hazelcast.getPartitionService();
    Member local = hazelcast.getCluster().getLocalMember();
    int keys = 4 * partitions.getPartitions().size();
    for (int key = FIRST_PROBE_KEY; key < FIRST_PROBE_KEY + keys; key++) {
      Member owner = partitions.getPartition(key).getOwner();
      if (owner != null && !owner.equals(local)) {
        return Future.fromCompletionStage(
                hazelcast.<Integer, String>getMap(NodeIdLeases.MAP).getAsync(key), context)
            .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .mapEmpty();
      }
    }
    return Future.failedFuture(new IllegalStateException("no partition owned by another member"));
  }

  private int otherMembers() {
    return clusterManager.getHazelcastInstance().getCluster().getMembers().size() - 1;
  }
}
