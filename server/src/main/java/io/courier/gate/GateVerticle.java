package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.config.ProxyProtocol;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.tls.CertificateReloader;
import io.courier.tls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gate instance: a TCP server on the gate port (Vert.x spreads the accepted sockets over the
 * instances that listen on the same port, one instance per event loop) and the connections it
 * accepted.
 *
 * <p>Each accepted socket first passes the operators' bans ({@link OperatorBans}) and the node's
 * {@link Admission}: a refused one gets one ERROR frame (429, or 503 when the node is full) and is
 * closed, before anything is read from it. With {@code gate.proxyProtocol} on, Vert.x reads the
 * PROXY header first, and the socket's remote address, which admission limits, is the client's that
 * the header announces.
 *
 * <p>With {@code gate.tlsCert} the gate port speaks TLS ({@link CertificateReloader}): the PROXY
 * header, when on, comes first in clear, then the handshake, and only a connection whose handshake
 * completed reaches admission. With {@code gate.plainPort} as well, the same gate (sessions,
 * admission, limits) also listens in plain TCP on that port, for clients not yet moved to TLS.
 */
public final class GateVerticle extends VerticleBase {
  private final CourierConfig config;
  private final LocalSessions sessions;
  private final Admission admission;
  private final OperatorBans bans;
  private final PresenceStore presence;
  private final Tracker tracker;
  private final MeterRegistry registry;
  private final CertificateReloader tls;

  /**
   * @param tls the gate's certificate, shared by all instances, or null for a plain gate
   */
  public GateVerticle(
      CourierConfig config,
      LocalSessions sessions,
      Admission admission,
      OperatorBans bans,
      PresenceStore presence,
      Tracker tracker,
      MeterRegistry registry,
      CertificateReloader tls) {
    this.config = config;
    this.sessions = sessions;
    this.admission = admission;
    this.bans = bans;
    this.presence = presence;
    this.tracker = tracker;
    this.registry = registry;
    this.tls = tls;
  }

  private Gate gate;
  private Acceptor acceptor;
  private NetServer server;
  private NetServer plainServer;
  private CertificateReloader.Target reloadTarget;

  @Override
  public Future<?> start() {
    gate = Gate.of(config, sessions, presence, tracker, registry, vertx, context);
    gate.metrics().watch(admission);
    acceptor = new Acceptor(gate, admission, bans);
    server =
        vertx.createNetServer(
            tls == null ? serverOptions() : ServerTls.enable(serverOptions(), tls.current()));
    server.connectHandler(this::accepted);
    Future<?> listening = server.listen(config.gatePort(), config.gateHost());
    if (tls != null) {
      reloadTarget = server::updateSSLOptions;
      listening = listening.onSuccess(v -> tls.attach(vertx, reloadTarget));
    }
    if (config.gatePlainPort() != null) {
      plainServer = vertx.createNetServer(serverOptions());
      plainServer.connectHandler(this::accepted);
      listening =
          listening.compose(v -> plainServer.listen(config.gatePlainPort(), config.gateHost()));
    }
    return listening;
  }

  private NetServerOptions serverOptions() {
    return new NetServerOptions()
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setReuseAddress(true)
        .setUseProxyProtocol(config.gateProxyProtocol() == ProxyProtocol.ON);
  }

  private void accepted(NetSocket socket) {
    acceptor.accept(
        socket.remoteAddress().hostAddress(),
        socket::end,
        new NetClientSocket(socket, gate.settings().writeQueueBytes()));
  }

  /**
   * Drains the gate: stops accepting, then sends KICK 4002 to its connections spread evenly over
   * the drain window (so that clients reconnecting elsewhere do not arrive all at once), and
   * completes when they are all closed. Each closed connection removes its presence; its
   * unacknowledged messages wait in the offline store.
   *
   * @implNote {@code NetServer.close()} would close every connection at once, without a KICK; the
   *     server's graceful {@code shutdown} keeps them open until the window (plus the time to flush
   *     a KICK) has passed.
   */
  @Override
  public Future<?> stop() {
    if (reloadTarget != null) {
      tls.detach(vertx, reloadTarget);
    }
    long graceMs = config.drainSeconds() * 1000L + Outbound.CLOSE_GRACE_MS + 1_000;
    return Future.join(
        server.shutdown(graceMs, TimeUnit.MILLISECONDS),
        plainServer == null
            ? Future.succeededFuture()
            : plainServer.shutdown(graceMs, TimeUnit.MILLISECONDS),
        drain(vertx, gate, config.drainSeconds() * 1000L));
  }

  /**
   * Kicks {@code gate}'s connections with 4002 spread evenly over {@code windowMs}, after marking
   * the node's sessions draining; completes when they are all closed.
   */
  static Future<?> drain(Vertx vertx, Gate gate, long windowMs) {
    gate.sessions().startDraining();
    List<Connection> open = List.copyOf(gate.connections());
    for (int i = 0; i < open.size(); i++) {
      Connection connection = open.get(i);
      vertx.setTimer(1 + windowMs * i / open.size(), id -> connection.kick(Code.KICK_SHUTDOWN));
    }
    return Future.join(open.stream().map(Connection::closed).toList());
  }
}
