package io.courier.bench;

import io.courier.cluster.HazelcastSetup;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench as a member of a Courier cluster: a clustered Vert.x of its own, with the node's
 * Hazelcast configuration ({@link HazelcastSetup}: {@code cluster.xml} of the jar, cluster name,
 * member list, this member's address and port), from which a business sender requests {@code
 * courier.s2c} directly.
 *
 * <p>{@link #join} returns once the member is in a cluster with at least one other member and a
 * request to {@code courier.s2c} reaches a routing role (an empty body, answered 400 without side
 * effects): a member that just joined may not see the others' consumers yet. {@link #leave()}
 * closes the Vert.x, which leaves the Hazelcast cluster gracefully (the node sees a member leave,
 * not a crash).
 *
 * @implNote A Vert.x of its own rather than a clustered bench Vert.x: the receivers' connections
 *     and the other scenarios stay as they are, and joining and leaving are one object's job. Its
 *     event loops are the senders' (one per sender); the receivers keep the bench's loops.
 *     <p>This member's Hazelcast does not log: the jar's logging goes to stdout, where {@code
 *     --json} promises one JSON line, and Hazelcast warns at every start (CP subsystem off) and
 *     every leave. What the bench needs to say about the cluster it says itself — no other member,
 *     no routing role, a port taken (the start's own exception).
 */
final class ClusterMember {
  /** Joining, including Hazelcast's connection attempts to members that do not answer. */
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  /** How long a joined member may wait to see a routing role's {@code courier.s2c} consumer. */
  static final Duration ROUTES_TIMEOUT = Duration.ofSeconds(15);

  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(30);
  private static final long PROBE_TIMEOUT_MS = 2_000;
  private static final long PROBE_INTERVAL_MS = 100;

  /**
   * Where to join: the cluster's name, its members ({@code host:port}), this member's address and
   * port.
   */
  record Settings(String clusterName, List<String> members, String host, int port) {

    /**
     * From {@code --cluster-name}, {@code --cluster-members}, {@code --cluster-host}, {@code
     * --cluster-port}.
     */
    static Settings of(BenchOptions options) {
      return new Settings(
          options.string(BenchOption.CLUSTER_NAME),
          parseMembers(options.string(BenchOption.CLUSTER_MEMBERS)),
          options.string(BenchOption.CLUSTER_HOST),
          options.integer(BenchOption.CLUSTER_PORT));
    }
  }

  /**
   * {@code host:port,host:port…}, each host a loopback IPv4 literal (the bench joins only clusters
   * on this machine); IllegalArgumentException saying what is wrong otherwise.
   */
  static List<String> parseMembers(String list) {
    List<String> members = new ArrayList<>();
    for (String member : list.split(",", -1)) {
      int colon = member.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("'" + member + "' is not host:port");
      }
      SourcePlan.parseLoopback(member.substring(0, colon));
      int port;
      try {
        port = Integer.parseInt(member.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = 0;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("'" + member + "' has no port 1-65535");
      }
      members.add(member);
    }
    return List.copyOf(members);
  }

  private final Vertx vertx;
  private final LoopContexts loops;
  private final int clusterSize;
  private volatile boolean left;

  private ClusterMember(Vertx vertx, LoopContexts loops, int clusterSize) {
    this.vertx = vertx;
    this.loops = loops;
    this.clusterSize = clusterSize;
  }

  /**
   * Joins the cluster with {@code eventLoops} event loops, blocking the calling thread (not an
   * event loop); throws {@link Blocking.BenchFailure} when no other member or no {@code
   * courier.s2c} consumer is found.
   */
  static ClusterMember join(Settings settings, int eventLoops) {
    HazelcastClusterManager manager =
        HazelcastSetup.clusterManager(CourierConfig.from(hazelcastJson(settings)));
    manager.getConfig().setProperty("hazelcast.logging.type", "none");
    Vertx vertx =
        Blocking.await(
            Vertx.builder()
                .with(
                    new VertxOptions()
                        .setPreferNativeTransport(true)
                        .setEventLoopPoolSize(eventLoops)
                        .setEventBusOptions(new EventBusOptions().setHost(settings.host())))
                .withClusterManager(manager)
                .buildClustered(),
            JOIN_TIMEOUT);
    ClusterMember member = null;
    try {
      int size = manager.getNodes().size();
      if (size < 2) {
        throw new Blocking.BenchFailure(
            "joined no other member of cluster '"
                + settings.clusterName()
                + "' at "
                + String.join(",", settings.members())
                + " (is the node running with -cluster and this cluster name?)");
      }
      member =
          new ClusterMember(
              vertx, Blocking.await(LoopContexts.deploy(vertx, eventLoops), JOIN_TIMEOUT), size);
      member.awaitRoutes();
      return member;
    } catch (RuntimeException e) {
      Blocking.await(vertx.close(), LEAVE_TIMEOUT);
      throw e;
    }
  }

  /**
   * Courier's cluster settings for this member; the join wait is 0, as the member joins a running
   * cluster.
   */
  static JsonObject hazelcastJson(Settings settings) {
    return new JsonObject()
        .put(
            "cluster",
            new JsonObject()
                .put("name", settings.clusterName())
                .put("members", new JsonArray(settings.members()))
                .put("host", settings.host())
                .put("port", settings.port())
                .put("joinWaitSeconds", 0));
  }

  Vertx vertx() {
    return vertx;
  }

  /** The senders' contexts, one per event loop of this member. */
  LoopContexts loops() {
    return loops;
  }

  /** Members of the cluster, this one included, when it joined. */
  int clusterSize() {
    return clusterSize;
  }

  boolean hasLeft() {
    return left;
  }

  /** Leaves the cluster and closes this member's Vert.x; waits at most 30 s. */
  void leave() {
    left = true;
    Blocking.await(vertx.close(), LEAVE_TIMEOUT);
  }

  private void awaitRoutes() {
    DeliveryOptions probe = new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS);
    long end = System.nanoTime() + ROUTES_TIMEOUT.toNanos();
    while (true) {
      try {
        Blocking.await(
            vertx.eventBus().request(Addresses.S2C, new JsonObject(), probe), ROUTES_TIMEOUT);
        return;
      } catch (Blocking.BenchFailure e) {
        boolean noHandlers =
            e.getCause() instanceof ReplyException
                && ((ReplyException) e.getCause()).failureType() == ReplyFailure.NO_HANDLERS;
        if (!noHandlers || System.nanoTime() + PROBE_INTERVAL_MS * 1_000_000 > end) {
          throw new Blocking.BenchFailure(
              "no routing role answers " + Addresses.S2C + " in the cluster: " + e.getMessage(), e);
        }
        Blocking.sleep(PROBE_INTERVAL_MS);
      }
    }
  }
}
