package io.courier.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;

/**
 * Keeps a verticle's {@link NodeRequests} up to date with the cluster's members: the members when
 * it starts, then every member that joins or leaves, handed over on the verticle's event loop.
 * Hazelcast sees a member that crashed leave within about a second (its connections are refused),
 * one that went silent after {@code hazelcast.max.no.heartbeat.seconds}.
 *
 * @implNote A Hazelcast {@link MembershipListener}, as in {@link DetectorVerticle}: Vert.x's
 *     cluster manager holds a single node listener, which Vert.x itself takes.
 */
public final class ClusterMembers {
  private final Cluster cluster;
  private final UUID listener;
  private final NodeRequests requests;

  private ClusterMembers(HazelcastClusterManager clusterManager, Context context) {
    cluster = clusterManager.getHazelcastInstance().getCluster();
    listener =
        cluster.addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                String node = event.getMember().getAttribute(DetectorVerticle.NODE_ID_ATTRIBUTE);
                if (node != null) {
                  context.runOnContext(v -> requests.joined(node));
                }
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                String node = event.getMember().getAttribute(DetectorVerticle.NODE_ID_ATTRIBUTE);
                if (node != null) {
                  context.runOnContext(v -> requests.left(node));
                }
              }
            });
    // read after the listener is in place, so that no change falls between the two; a change seen
    // by both is applied twice, which changes nothing
    requests =
        new NodeRequests(
            clusterManager.getNodes(),
            (delayMs, action) -> {
              long id = context.owner().setTimer(delayMs, fired -> action.run());
              return () -> context.owner().cancelTimer(id);
            });
  }

  /** Starts following the members; call on {@code context}'s event loop, from its verticle. */
  public static ClusterMembers follow(HazelcastClusterManager clusterManager, Context context) {
    return new ClusterMembers(clusterManager, context);
  }

  /** Requests to named members, made on the verticle's event loop. */
  public NodeRequests requests() {
    return requests;
  }

  /** Stops following the members. */
  public void stop() {
    cluster.removeMembershipListener(listener);
  }
}
