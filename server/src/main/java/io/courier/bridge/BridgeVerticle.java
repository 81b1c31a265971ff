package io.courier.bridge;

import io.courier.config.CourierConfig;
import io.courier.contract.LocalRouting;
import io.courier.tls.CertificateReloader;
import io.courier.tls.PeerCertificates;
import io.courier.tls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business bridge: Vert.x's TCP event-bus bridge on {@code bridge.host:bridge.port}, limited to
 * the business API ({@link BridgePolicy}) and guarded against the flaws of its 5.0.7 implementation
 * (an unbounded frame length, a wedged connection on an unknown {@code type} or a mistyped field,
 * writes that ignore {@code writeQueueFull}), with credentials and permissions per business ({@link
 * Businesses}).
 *
 * <p>The public port belongs to the guard ({@link GuardedConnection}); the real {@link
 * TcpEventBusBridge} has no socket and is handed each business connection in process ({@link
 * InProcessBridge}), so it sees only the frames the guard lets through, and nothing else can reach
 * it. The bulk of the traffic the guard serves itself as the bridge would: the push requests
 * ({@code courier.s2c}, {@code courier.s2c.multi} with a reply address, {@link DirectSend}), and
 * the consumers a business registers, with the messages written to it and its answers to them
 * ({@link Registrations}: C2S messages and receipts). A business's requests are served by this
 * node's own routing role ({@link NodeLocalBus}), so the death of another node never holds them.
 *
 * @implNote Alternatives rejected: (1) the bridge alone on the public port: none of its flaws can
 *     be fixed from outside, since its parser, connection handler and server are private, and its
 *     bridge-event hook sees a frame only after buffering its whole announced length. (2) A bridge
 *     of our own: it would re-implement the reply bookkeeping and header mapping business clients
 *     rely on, and drift from the standard; only the push requests and the registered consumers,
 *     where a third of the node's time went to the bridge, are served by the guard, and tests hold
 *     their frames to the stock bridge's byte for byte. (3) The bridge on an internal socket behind
 *     the guard (a Unix domain socket until this version): the same guarantees, at the cost of an
 *     extra socket hop per frame each way.
 *     <p>One instance: the bridge's consumers and the guard run on this verticle's event loop.
 *     <p>With {@code bridge.tlsCert} the port speaks TLS, its certificate reloaded as its files
 *     change ({@link CertificateReloader}); with {@code bridge.tlsClientCa} as well, a business
 *     shows a certificate of that CA, verified in the handshake, before its socket reaches the
 *     guard, and {@link PeerCertificates#subject} names it.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);

  private final CourierConfig config;
  private final MeterRegistry registry;
  private final LocalRouting routing;
  private final long requestTimeoutMillis;
  private final AtomicInteger connections = new AtomicInteger();
  private InProcessBridge bridge;
  private NetServer server;
  private CertificateReloader tls;
  private CertificateReloader.Target reloadTarget;

  /** A bridge whose refusals and certificate reloads are counted nowhere. */
  public BridgeVerticle(CourierConfig config) {
    this(config, new SimpleMeterRegistry());
  }

  /**
   * @param registry where the refusals and the certificate reloads are counted
   */
  public BridgeVerticle(CourierConfig config, MeterRegistry registry) {
    this(config, registry, new LocalRouting());
  }

  /**
   * @param registry where the refusals and the certificate reloads are counted
   * @param routing this node's routing instances, which serve the push requests without the event
   *     bus (none when the node does not run routing)
   */
  public BridgeVerticle(CourierConfig config, MeterRegistry registry, LocalRouting routing) {
    this(config, registry, routing, DeliveryOptions.DEFAULT_TIMEOUT);
  }

  /**
   * @param requestTimeoutMillis how long a push request served by {@code routing} waits for its
   *     answer: the event bus's default request timeout, shorter in tests
   */
  BridgeVerticle(
      CourierConfig config,
      MeterRegistry registry,
      LocalRouting routing,
      long requestTimeoutMillis) {
    this.config = config;
    this.registry = registry;
    this.routing = routing;
    this.requestTimeoutMillis = requestTimeoutMillis;
  }

  @Override
  public Future<?> start() {
    Businesses businesses = Businesses.of(config);
    DirectSend direct =
        new DirectSend(
            vertx.eventBus(), routing, context, requestTimeoutMillis, vertx.isClustered());
    BridgeMetrics metrics = new BridgeMetrics(registry);
    GuardedConnection.Limits limits = GuardedConnection.Limits.of(config);
    Future<CertificateReloader> loaded =
        config.bridgeTls() == null
            ? Future.succeededFuture()
            : CertificateReloader.load(
                vertx, config.bridgeTls(), config.tlsReloadInterval(), registry);
    return loaded
        .compose(
            reloader -> {
              tls = reloader;
              return InProcessBridge.start(vertx, BridgePolicy.bridgeOptions());
            })
        .compose(
            started -> {
              bridge = started;
              NetServerOptions options =
                  new NetServerOptions()
                      .setTcpNoDelay(true)
                      .setTcpKeepAlive(true)
                      .setReuseAddress(true);
              server =
                  vertx.createNetServer(
                      tls == null ? options : ServerTls.enable(options, tls.current()));
              server.connectHandler(
                  socket -> {
                    connections.incrementAndGet();
                    new GuardedConnection(
                            (NetSocketInternal) socket,
                            context,
                            businesses,
                            limits,
                            metrics,
                            connections::decrementAndGet)
                        .open(bridge, direct);
                  });
              return server.listen(config.bridgePort(), config.bridgeHost());
            })
        .onSuccess(
            listening -> {
              if (tls != null) {
                reloadTarget = server::updateSSLOptions;
                tls.attach(vertx, reloadTarget);
              }
              LOG.info(
                  "business bridge on {}:{} ({}, TLS {})",
                  config.bridgeHost(),
                  server.actualPort(),
                  businesses.open() != null
                      ? "open: no credentials configured"
                      : businesses.size() + " businesses",
                  tls == null
                      ? "off"
                      : "on, client certificates "
                          + tls.current().settings().clientAuth().name().toLowerCase(Locale.ROOT));
            })
        .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /**
   * Closes the public port and the guard's connections; the bridge's consumers of closed
   * connections end with them.
   */
  @Override
  public Future<?> stop() {
    if (reloadTarget != null) {
      tls.detach(vertx, reloadTarget);
    }
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    Future<Void> bridgeClosed = bridge == null ? Future.succeededFuture() : bridge.close();
    return Future.join(serverClosed, bridgeClosed)
        .transform(
            closed ->
                closed.succeeded()
                    ? Future.succeededFuture()
                    : Future.failedFuture(closed.cause()));
  }

  /** Business connections whose socket is open now. */
  int connections() {
    return connections.get();
  }
}
