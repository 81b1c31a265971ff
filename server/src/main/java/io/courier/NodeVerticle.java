package io.courier;

import io.courier.admin.BanTable;
import io.courier.admin.OperatorVerticle;
import io.courier.admin.RevocationTable;
import io.courier.bridge.BridgeVerticle;
import io.courier.cluster.DetectorVerticle;
import io.courier.cluster.InternalAddressGuard;
import io.courier.cluster.MsgIdGenerator;
import io.courier.cluster.NodeIdLeaseVerticle;
import io.courier.config.ConfigException;
import io.courier.config.ConfigKeys;
import io.courier.config.CourierConfig;
import io.courier.config.Role;
import io.courier.config.Secrets;
import io.courier.config.StoreBackend;
import io.courier.contract.LocalRouting;
import io.courier.contract.Receipts;
import io.courier.gate.Admission;
import io.courier.gate.GateNodeVerticle;
import io.courier.gate.GateVerticle;
import io.courier.gate.LocalSessions;
import io.courier.gate.OperatorBans;
import io.courier.gate.WebSocketGates;
import io.courier.http.AdminVerticle;
import io.courier.http.HttpVerticle;
import io.courier.http.Readiness;
import io.courier.login.LoginVerticle;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.OpsVerticle;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.courier.push.DeviceRegistries;
import io.courier.push.DeviceRegistry;
import io.courier.push.Intake;
import io.courier.push.PushVerticle;
import io.courier.routing.C2sOutboxLink;
import io.courier.routing.C2sOutboxMeter;
import io.courier.routing.C2sOutboxVerticle;
import io.courier.routing.OfflineVerticle;
import io.courier.routing.RoutingVerticle;
import io.courier.routing.Terminals;
import io.courier.store.C2sOutbox;
import io.courier.store.MessageStore;
import io.courier.tls.CertificateReloader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Courier node: validates the configuration it is deployed with, then deploys the operator
 * controls (every node keeps a copy of the cluster's bans), the roles it runs — logic (store,
 * login, routing, offline, push, business bridge), gate (one instance per event loop) and detector
 * — then the admin listener and, last, the public HTTP interface. Undeploying it undeploys them
 * (Vert.x undeploys child deployments first), which drains the gates, and then it closes the
 * stores.
 *
 * <p>With a published secret in use (development mode, {@link io.courier.config.DevelopmentMode})
 * the configuration has put every listener on loopback; the node says so in one WARN line before it
 * deploys anything.
 *
 * <p>When clustered, the node's id is its Vert.x cluster node id (the detector maps a Hazelcast
 * member that left to it) and its msgid node id is leased from the cluster. A clustered node with
 * the logic role refuses the embedded store: each node would keep its own messages, and a user's
 * offline messages would depend on which node served the pull.
 */
public final class NodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeVerticle.class);

  /** Bound of each readiness check. */
  private static final long CHECK_TIMEOUT_MS = 2_000;

  /** A uid no one has, read by the presence readiness check. */
  private static final String READINESS_PROBE_UID = "courier.readiness-probe";

  private final int eventLoops;
  private final HazelcastClusterManager clusterManager;
  private final PrometheusMeterRegistry registry;
  private String node;
  private InternalAddressGuard internalGuard;
  private MessageStore store;
  private C2sOutbox c2sOutbox;
  private PresenceStore presence;
  private DeviceRegistry devices;
  private WebSocketGates webSockets;

  /** A single node on a Vert.x with the default number of event loops. */
  public NodeVerticle() {
    this(
        VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE,
        null,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * @param eventLoops gate instances unless the configuration says otherwise
   * @param clusterManager the cluster manager when Vert.x is clustered, else null
   * @param registry where Courier's meters go, with Vert.x's when its metrics are enabled
   */
  public NodeVerticle(
      int eventLoops, HazelcastClusterManager clusterManager, PrometheusMeterRegistry registry) {
    this.eventLoops = eventLoops;
    this.clusterManager = clusterManager;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    CourierConfig config;
    try {
      config = CourierConfig.from(config());
      if (vertx.isClustered()
          && config.hasRole(Role.LOGIC)
          && config.storeBackend() == StoreBackend.EMBEDDED) {
        throw ConfigKeys.STORE_BACKEND.invalid(
            "must be mysql on a clustered node with the logic role: "
                + "an embedded store per node would split the messages");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (context.getInstanceCount() > 1) {
      // N nodes in one JVM would share ports and data and stamp msgids with the same node id
      return Future.failedFuture(
          new ConfigException(
              "invalid configuration: a node is deployed once per JVM; do not use "
                  + "the launcher's -instances (gate.instances sets the gate's instances)"));
    }
    if (vertx.isClustered()) {
      try {
        internalGuard = InternalAddressGuard.install(vertx, config, registry);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    boolean clustered = vertx.isClustered() && clusterManager != null;
    if (config.developmentMode().active()) {
      LOG.warn(
          "development mode: {} use a published secret that anyone can sign tokens with, so every"
              + " listener binds loopback only (gate {}:{}, HTTP {}:{}, admin {}:{}, bridge {}:{}{});"
              + " configure real secrets (generate each with: {}) to listen on other interfaces",
          config.developmentMode().publishedSecrets(),
          config.gateHost(),
          config.gatePort(),
          config.httpHost(),
          config.httpPort(),
          config.adminHost(),
          config.adminPort(),
          config.bridgeHost(),
          config.bridgePort(),
          clustered ? ", cluster " + config.clusterHost() + ":" + config.clusterPort() : "",
          Secrets.HOW_TO_GENERATE);
    }
    node =
        clustered
            ? clusterManager.getNodeId()
            : Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    presence = Backends.presence(vertx, config);
    TraceStore traces =
        new TraceStore(config.traceEntries(), config.traceRetentionSeconds() * 1000L);
    ArrivalStats arrivals = new ArrivalStats();
    DeliveryLabels labels =
        new DeliveryLabels(config.apps().secrets().keySet(), config.metricMsgtypes());
    Tracker tracker =
        new Tracker(
            node,
            registry,
            traces,
            arrivals,
            labels,
            new Receipts(vertx.eventBus()),
            NotifiedMarks.sharedData(vertx),
            System::currentTimeMillis);
    HealthChecks readiness = backendChecks(clustered);
    int instances = config.gateInstances() > 0 ? config.gateInstances() : eventLoops;
    LocalSessions sessions = config.hasRole(Role.GATE) ? new LocalSessions(node) : null;
    BanTable banTable = new BanTable(System::currentTimeMillis);
    RevocationTable revocations = new RevocationTable(System::currentTimeMillis);
    Gauge.builder("courier.revocations", revocations, RevocationTable::size)
        .description("revoked tokens this node holds, until their exp")
        .register(registry);
    OperatorBans bans = sessions == null ? null : new OperatorBans(banTable, revocations, sessions);
    Future<?> deployed =
        vertx
            .deployVerticle(
                new OpsVerticle(node, arrivals, traces), AdminVerticle.deploymentOptions())
            .compose(
                v ->
                    vertx.deployVerticle(
                        new OperatorVerticle(
                            banTable,
                            revocations,
                            config.maxRevocations(),
                            presence,
                            bans == null ? () -> {} : bans::kickBanned,
                            bans == null ? () -> {} : bans::kickRevoked)));
    if (config.hasRole(Role.LOGIC)) {
      deployed =
          deployed
              .compose(
                  v -> deployLogic(config, clustered, instances, tracker, sessions, revocations))
              .onSuccess(
                  v ->
                      readiness.register(
                          "store",
                          CHECK_TIMEOUT_MS,
                          check ->
                              store.ping().onComplete(done -> complete("store", check, done))));
    }
    if (sessions != null) {
      deployed =
          deployed
              .compose(v -> deployGate(config, sessions, bans, tracker, instances))
              .onSuccess(
                  v ->
                      readiness.register(
                          "gate",
                          CHECK_TIMEOUT_MS,
                          check ->
                              check.complete(
                                  sessions.draining()
                                      ? Readiness.Reason.DRAINING.status()
                                      : Status.OK())));
    }
    if (config.hasRole(Role.DETECTOR) && clustered) {
      deployed =
          deployed.compose(
              v -> vertx.deployVerticle(new DetectorVerticle(clusterManager, presence)));
    }
    Supplier<List<String>> nodes = clustered ? clusterManager::getNodes : () -> List.of(node);
    return deployed
        .compose(
            v ->
                vertx.deployVerticle(
                    new AdminVerticle(config, registry, labels, nodes),
                    AdminVerticle.deploymentOptions()))
        .compose(
            v ->
                vertx.deployVerticle(
                    () -> new HttpVerticle(config, readiness, registry, webSockets),
                    new DeploymentOptions().setInstances(instances)))
        .onSuccess(
            v ->
                LOG.info(
                    "Courier node {} ready{}: roles {}, gate {}:{} ({} instances), HTTP {}:{}, admin {}:{}, bridge {}:{}",
                    node,
                    clustered ? " (clustered)" : "",
                    config.roles(),
                    config.gateHost(),
                    config.gatePort(),
                    instances,
                    config.httpHost(),
                    config.httpPort(),
                    config.adminHost(),
                    config.adminPort(),
                    config.bridgeHost(),
                    config.bridgePort()));
  }

  /** Readiness checks of the backends every node uses: presence, and the cluster when clustered. */
  private HealthChecks backendChecks(boolean clustered) {
    HealthChecks readiness = HealthChecks.create(vertx);
    readiness.register(
        "presence",
        CHECK_TIMEOUT_MS,
        check ->
            presence
                .sessions(READINESS_PROBE_UID)
                .onComplete(done -> complete("presence", check, done)));
    if (clustered) {
      readiness.register(
          "cluster",
          CHECK_TIMEOUT_MS,
          check ->
              check.complete(
                  clusterManager.getHazelcastInstance().getLifecycleService().isRunning()
                      ? Status.OK()
                      : Readiness.Reason.STOPPED.status()));
    }
    return readiness;
  }

  private Future<?> deployGate(
      CourierConfig config,
      LocalSessions sessions,
      OperatorBans bans,
      Tracker tracker,
      int instances) {
    Gauge.builder("courier.connections", sessions, LocalSessions::size)
        .description("client connections open on this node's gate")
        .register(registry);
    Admission admission = Admission.of(config);
    webSockets = new WebSocketGates(config, sessions, admission, bans, presence, tracker, registry);
    Future<CertificateReloader> tls =
        config.gateTls() == null
            ? Future.succeededFuture()
            : CertificateReloader.load(
                vertx, config.gateTls(), config.tlsReloadInterval(), registry);
    return tls.compose(
        gateTls ->
            vertx
                .deployVerticle(new GateNodeVerticle(config, sessions, presence))
                .compose(
                    v ->
                        vertx.deployVerticle(
                            () ->
                                new GateVerticle(
                                    config, sessions, admission, bans, presence, tracker, registry,
                                    gateTls),
                            new DeploymentOptions().setInstances(instances))));
  }

  /**
   * A backend check is up when its probe succeeded, else down as unreachable; the probe's failure
   * is logged, not shown: its text names backend hosts and users.
   */
  private static void complete(String name, Promise<Status> check, AsyncResult<?> done) {
    if (done.succeeded()) {
      check.complete(Status.OK());
    } else {
      LOG.warn("readiness: the {} backend does not answer: {}", name, done.cause().toString());
      check.complete(Readiness.Reason.UNREACHABLE.status());
    }
  }

  private Future<?> deployLogic(
      CourierConfig config,
      boolean clustered,
      int instances,
      Tracker tracker,
      LocalSessions localGate,
      RevocationTable revocations) {
    DeploymentOptions perEventLoop = new DeploymentOptions().setInstances(instances);
    LocalRouting routing = new LocalRouting();
    return Backends.store(vertx, config)
        .compose(
            opened -> {
              store = opened;
              return Backends.c2sOutbox(vertx, config);
            })
        .compose(
            opened -> {
              c2sOutbox = opened;
              return store.maxMsgid();
            })
        .compose(
            floor -> {
              if (clustered) {
                return NodeIdLeaseVerticle.deploy(vertx, clusterManager, config.nodeId(), floor);
              }
              LOG.info("msgid node id {}, above msgid {}", config.nodeId(), floor);
              return Future.succeededFuture(
                  new MsgIdGenerator(config.nodeId(), System::currentTimeMillis, floor));
            })
        .compose(
            ids ->
                DeviceRegistries.open(vertx, config)
                    .onSuccess(opened -> devices = opened)
                    .compose(
                        v ->
                            vertx.deployVerticle(
                                () ->
                                    new LoginVerticle(
                                        config,
                                        presence,
                                        revocations,
                                        new Terminals(config.systems(), store)),
                                perEventLoop))
                    .compose(
                        v ->
                            vertx.deployVerticle(
                                () -> new OfflineVerticle(store, tracker), perEventLoop))
                    .compose(
                        v -> {
                          Intake intake = Intake.of(config, tracker);
                          C2sOutboxMeter c2sMeter = new C2sOutboxMeter(registry);
                          C2sOutboxVerticle drainer =
                              new C2sOutboxVerticle(config, c2sOutbox, tracker, c2sMeter);
                          C2sOutboxLink c2s =
                              new C2sOutboxLink(
                                  c2sOutbox,
                                  c2sMeter,
                                  drainer::wake,
                                  config.c2sOutboxMaxPerSender());
                          return vertx
                              .deployVerticle(drainer)
                              .compose(
                                  drained ->
                                      vertx.deployVerticle(
                                          () ->
                                              new RoutingVerticle(
                                                  config,
                                                  store,
                                                  presence,
                                                  ids,
                                                  tracker,
                                                  localGate,
                                                  clustered ? clusterManager : null,
                                                  intake,
                                                  c2s,
                                                  routing),
                                          perEventLoop))
                              .compose(
                                  deployed ->
                                      vertx.deployVerticle(
                                          new PushVerticle(
                                              config, devices, intake, tracker, registry)));
                        })
                    .compose(
                        v -> vertx.deployVerticle(new BridgeVerticle(config, registry, routing))));
  }

  /** Runs once the node's roles have stopped: Vert.x undeploys a verticle's children first. */
  @Override
  public Future<?> stop() {
    if (internalGuard != null) {
      internalGuard.remove();
    }
    return Future.join(
        store == null ? Future.succeededFuture() : store.close(),
        c2sOutbox == null ? Future.succeededFuture() : c2sOutbox.close(),
        presence == null ? Future.succeededFuture() : presence.close(),
        devices == null ? Future.succeededFuture() : devices.close());
  }

  /** This node's id in presence records, session ids and the gate list. */
  public String node() {
    return node;
  }
}
