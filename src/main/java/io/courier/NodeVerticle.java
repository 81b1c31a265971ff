package io.courier;

import io.courier.config.CourierConfig;
import io.courier.gate.GateNodeVerticle;
import io.courier.gate.GateVerticle;
import io.courier.gate.LocalSessions;
import io.courier.gate.SessionCommands;
import io.courier.login.LoginVerticle;
import io.courier.presence.PresenceStore;
import io.courier.presence.SharedDataPresenceStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A Courier node: validates the configuration it is deployed with, then deploys the roles. Undeploying it
 * undeploys them (Vert.x undeploys child deployments with their parent), which closes the gate sockets.
 */
public final class NodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeVerticle.class);

  private final int eventLoops;
  private String node;

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
    PresenceStore presence = new SharedDataPresenceStore(vertx);
    int gates = config.gateInstances() > 0 ? config.gateInstances() : eventLoops;
    return vertx.deployVerticle(new LoginVerticle(config, presence))
      .compose(id -> vertx.deployVerticle(new GateNodeVerticle(sessions)))
      .compose(id -> vertx.deployVerticle(() -> new GateVerticle(config, sessions, SessionCommands.UNAVAILABLE),
        new DeploymentOptions().setInstances(gates)))
      .onSuccess(id -> LOG.info("Courier node {} ready: gate on {}:{} ({} instances)", node, config.gateHost(),
        config.gatePort(), gates));
  }

  /** This node's id in presence records and session ids. */
  public String node() {
    return node;
  }
}
