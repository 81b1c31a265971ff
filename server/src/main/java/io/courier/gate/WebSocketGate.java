package io.courier.gate;

import io.courier.gate.WebSocketMetrics.Upgrade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the WebSocket gate, on the event loop of one HTTP listener instance: {@code GET
 * /ws} upgrades to a WebSocket that is a gate connection like a TCP one — the same {@link
 * Connection} (state machine, login deadline, heartbeat, limits, codes, kicks, presence), the same
 * admission and operators' bans, counted in the same sessions — over a {@link
 * WebSocketClientSocket}.
 *
 * <p>The client's address, which admission and the operators' bans judge, is the connection's peer,
 * or behind trusted reverse proxies the one {@link ForwardedFor} reads from {@code
 * X-Forwarded-For}.
 *
 * <p>Before the upgrade: a page whose origin the {@link OriginPolicy} refuses gets 403, a request
 * while the node drains 503, a request that is not a WebSocket upgrade 400.
 */
public final class WebSocketGate {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketGate.class);

  private final Vertx vertx;
  private final Gate gate;
  private final Acceptor acceptor;
  private final OriginPolicy origins;
  private final ForwardedFor forwardedFor;
  private final WebSocketMetrics metrics;
  private final long drainWindowMs;

  WebSocketGate(
      Vertx vertx,
      Gate gate,
      Acceptor acceptor,
      OriginPolicy origins,
      ForwardedFor forwardedFor,
      WebSocketMetrics metrics,
      int drainSeconds) {
    this.vertx = vertx;
    this.gate = gate;
    this.acceptor = acceptor;
    this.origins = origins;
    this.forwardedFor = forwardedFor;
    this.metrics = metrics;
    this.drainWindowMs = drainSeconds * 1000L;
  }

  /** Handles a request for {@code /ws}. */
  public void upgrade(HttpServerRequest request) {
    if (gate.sessions().draining()) {
      metrics.upgrade(Upgrade.DRAINING);
      request.response().setStatusCode(503).end("the node is shutting down");
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (!origins.accepts(origin, request.getHeader(HttpHeaders.HOST))) {
      metrics.upgrade(Upgrade.ORIGIN);
      LOG.debug("WebSocket from origin {} refused", origin);
      request.response().setStatusCode(403).end("origin not allowed");
      return;
    }
    if (!request.canUpgradeToWebSocket()) {
      request.response().setStatusCode(400).end("expected a WebSocket upgrade");
      return;
    }
    String forwarded = request.getHeader(ForwardedFor.HEADER);
    request
        .toWebSocket()
        .onSuccess(socket -> opened(socket, forwarded))
        .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.getMessage()));
  }

  private void opened(ServerWebSocket socket, String forwarded) {
    metrics.upgrade(Upgrade.ACCEPTED);
    Connection connection =
        acceptor.accept(
            forwardedFor.clientOf(socket.remoteAddress().hostAddress(), forwarded),
            refusal -> socket.writeBinaryMessage(refusal).eventually(() -> socket.close()),
            new WebSocketClientSocket(
                socket,
                gate.settings().writeQueueBytes(),
                gate.settings().maxBodyBytes(),
                metrics));
    if (connection != null) {
      metrics.opened();
      connection.closed().onComplete(closed -> metrics.closed());
    }
  }

  /** Drains this instance's connections as the TCP gate drains its own ({@link GateVerticle}). */
  public Future<?> drain() {
    return GateVerticle.drain(vertx, gate, drainWindowMs);
  }
}
