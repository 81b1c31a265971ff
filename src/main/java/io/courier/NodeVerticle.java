package io.courier;

import io.courier.bridge.BridgeVerticle;
import io.courier.cluster.DetectorVerticle;
import io.courier.cluster.NodeIdLeases;
import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.courier.gate.GateNodeVerticle;
import io.courier.gate.GateVerticle;
import io.courier.gate.LocalSessions;
import io.courier.http.HttpVerticle;
import io.courier.login.LoginVerticle;
import io.courier.message.MsgIdGenerator;
import io.courier.presence.PresenceStore;
import io.courier.routing.OfflineVerticle;
import io.courier.routing.RoutingVerticle;
import io.courier.store.MessageStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A Courier node: validates the configuration it is deployed with, then deploys the roles it runs —
 * logic (store, login, routing, offline, business bridge), gate (one instance per event loop) and detector
 * — and the HTTP interface. Undeploying it undeploys them (Vert.x undeploys child deployments first), which
 * drains the gates, and then it closes the stores.
 *
 * <p>When clustered, the node's id is its Vert.x cluster node id (the detector maps a Hazelcast member that
 * left to it) and its msgid node id is leased from the cluster. A clustered node with the logic role refuses
 * the embedded store: each node would keep its own messages, and a user's offline messages would depend on
 * which node served the pull.
 */
public final class NodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeVerticle.class);

  private final int eventLoops;
  private final HazelcastClusterManager clusterManager;
  private String node;
  private MessageStore store;
  private PresenceStore presence;

  /** A single node on a Vert.x with the default number of event loops. */
  public NodeVerticle() {
    this(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, null);
  }

  /**
   * @param eventLoops     gate instances unless the configuration says otherwise
   * @param clusterManager the cluster manager when Vert.x is clustered, else null
   */
  public NodeVerticle(int eventLoops, HazelcastClusterManager clusterManager) {
    this.eventLoops = eventLoops;
    this.clusterManager = clusterManager;
  }

  @Override
  public Future<?> start() {
    CourierConfig config;
    try {
      config = CourierConfig.from(config());
      if (vertx.isClustered() && config.hasRole("logic") && config.storeBackend().equals("embedded")) {
        throw new ConfigException("invalid configuration: store.backend (environment COURIER_STORE) must be mysql "
          + "on a clustered node with the logic role: an embedded store per node would split the messages");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    config.apps().firstWithDevSecret().ifPresent(appcode -> LOG.warn(
      "appcode {} uses the built-in development secret: anyone can sign tokens for it. Configure real "
        + "secrets (apps in -conf, or COURIER_APPS) before exposing this node.", appcode));
    boolean clustered = vertx.isClustered() && clusterManager != null;
    node = clustered ? clusterManager.getNodeId() : Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    presence = Backends.presence(vertx, config);
    int instances = config.gateInstances() > 0 ? config.gateInstances() : eventLoops;
    Future<?> deployed = Future.succeededFuture();
    if (config.hasRole("logic")) {
      deployed = deployed.compose(v -> deployLogic(config, clustered, instances));
    }
    if (config.hasRole("gate")) {
      LocalSessions sessions = new LocalSessions(node);
      deployed = deployed
        .compose(v -> vertx.deployVerticle(new GateNodeVerticle(config, sessions, presence)))
        .compose(v -> vertx.deployVerticle(() -> new GateVerticle(config, sessions, presence),
          new DeploymentOptions().setInstances(instances)));
    }
    if (config.hasRole("detector") && clustered) {
      deployed = deployed.compose(v -> vertx.deployVerticle(new DetectorVerticle(clusterManager, presence)));
    }
    return deployed
      .compose(v -> vertx.deployVerticle(new HttpVerticle(config)))
      .onSuccess(v -> LOG.info("Courier node {} ready{}: roles {}, gate {}:{} ({} instances), HTTP {}:{}, bridge {}:{}",
        node, clustered ? " (clustered)" : "", config.roles(), config.gateHost(), config.gatePort(), instances,
        config.httpHost(), config.httpPort(), config.bridgeHost(), config.bridgePort()));
  }

  private Future<?> deployLogic(CourierConfig config, boolean clustered, int instances) {
    DeploymentOptions perEventLoop = new DeploymentOptions().setInstances(instances);
    return Backends.store(vertx, config)
      .compose(opened -> {
        store = opened;
        return store.maxMsgid();
      })
      .compose(floor -> (clustered ? new NodeIdLeases(vertx).acquire(config.nodeId(), node)
        : Future.succeededFuture(config.nodeId())).map(nodeId -> {
          LOG.info("msgid node id {}, above msgid {}", nodeId, floor);
          return new MsgIdGenerator(nodeId, System::currentTimeMillis, floor);
        }))
      .compose(ids -> vertx.deployVerticle(new LoginVerticle(config, presence))
        .compose(v -> vertx.deployVerticle(() -> new OfflineVerticle(store), perEventLoop))
        .compose(v -> vertx.deployVerticle(() -> new RoutingVerticle(config, store, presence, ids), perEventLoop))
        .compose(v -> vertx.deployVerticle(new BridgeVerticle(config))));
  }

  @Override
  public Future<?> stop() {
    return Future.join(store == null ? Future.succeededFuture() : store.close(),
      presence == null ? Future.succeededFuture() : presence.close());
  }

  /** This node's id in presence records, session ids and the gate list. */
  public String node() {
    return node;
  }
}
