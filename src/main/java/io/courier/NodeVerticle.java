package io.courier;

import io.courier.config.CourierConfig;
import io.courier.gate.GateNodeVerticle;
import io.courier.gate.GateVerticle;
import io.courier.gate.LocalSessions;
import io.courier.bridge.BridgeVerticle;
import io.courier.login.LoginVerticle;
import io.courier.message.MsgIdGenerator;
import io.courier.routing.OfflineVerticle;
import io.courier.routing.RoutingVerticle;
import io.courier.store.MessageStore;
import io.courier.presence.PresenceStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A Courier node: validates the configuration it is deployed with, opens the store, then deploys the
 * roles — login, offline, routing, the gate (one instance per event loop) and the business bridge.
 * Undeploying it undeploys them (Vert.x undeploys child deployments with their parent), which closes the
 * sockets, and then closes the store.
 */
public final class NodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeVerticle.class);

  private final int eventLoops;
  private String node;
  private MessageStore store;
  private PresenceStore presence;

  /** A node on a Vert.x with the default number of event loops. */
  public NodeVerticle() {
    this(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
  }

  /** A node whose gate runs {@code eventLoops} instances unless the configuration says otherwise. */
  public NodeVerticle(int eventLoops) {
    this.eventLoops = eventLoops;
  }

  @Override
  public Future<?> start() {
    CourierConfig config;
    try {
      config = CourierConfig.from(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    config.apps().firstWithDevSecret().ifPresent(appcode -> LOG.warn(
      "appcode {} uses the built-in development secret: anyone can sign tokens for it. Configure real "
        + "secrets (apps in -conf, or COURIER_APPS) before exposing this node.", appcode));
    node = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    LocalSessions sessions = new LocalSessions(node);
    presence = Backends.presence(vertx, config);
    int instances = config.gateInstances() > 0 ? config.gateInstances() : eventLoops;
    DeploymentOptions perEventLoop = new DeploymentOptions().setInstances(instances);
    return Backends.store(vertx, config)
      .compose(opened -> {
        store = opened;
        return store.maxMsgid();
      })
      .compose(floor -> {
        MsgIdGenerator ids = new MsgIdGenerator(config.nodeId(), System::currentTimeMillis, floor);
        return vertx.deployVerticle(new LoginVerticle(config, presence))
          .compose(id -> vertx.deployVerticle(() -> new OfflineVerticle(store), perEventLoop))
          .compose(id -> vertx.deployVerticle(() -> new RoutingVerticle(config, store, presence, ids), perEventLoop))
          .compose(id -> vertx.deployVerticle(new GateNodeVerticle(sessions, presence, config.presenceTtlSeconds())))
          .compose(id -> vertx.deployVerticle(() -> new GateVerticle(config, sessions), perEventLoop))
          .compose(id -> vertx.deployVerticle(new BridgeVerticle(config)));
      })
      .onSuccess(id -> LOG.info("Courier node {} ready: gate on {}:{} ({} instances), bridge on {}:{}, data in {}",
        node, config.gateHost(), config.gatePort(), instances, config.bridgeHost(), config.bridgePort(),
        config.dataDir()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(store == null ? Future.succeededFuture() : store.close(),
      presence == null ? Future.succeededFuture() : presence.close());
  }

  /** This node's id in presence records and session ids. */
  public String node() {
    return node;
  }
}
