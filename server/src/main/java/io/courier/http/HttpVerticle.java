package io.courier.http;

import io.courier.cluster.GateDirectory;
import io.courier.config.CourierConfig;
import io.courier.gate.WebSocketGate;
import io.courier.gate.WebSocketGates;
import io.courier.tls.CertificateReloader;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's public HTTP interface.
 *
 * <ul>
 *   <li>{@code GET /v1/gates} — the healthy gates (host, port, connections), in a random order
 *       weighted by spare capacity ({@link GateListHandler}); public, for clients choosing where to
 *       connect.
 *   <li>{@code GET /health} (liveness) and {@code GET /ready} (readiness, per check, without
 *       backend error text: {@link Readiness}).
 *   <li>{@code GET /ws} — on a node with the gate role, the WebSocket gate ({@link WebSocketGate},
 *       {@code docs/web.md}): protocol v1 frames, one per binary WebSocket message.
 *   <li>{@code GET /console/} — the support console, static files ({@link ConsoleFiles}).
 * </ul>
 *
 * <p>Deployed once per event loop, as the TCP gate is: Vert.x spreads the connections over the
 * instances listening on the port, so WebSocket sessions use every event loop.
 *
 * <p>Metrics and the admin API are on the admin listener ({@link AdminVerticle}), not here: this
 * port faces clients. With {@code http.tlsCert} it serves HTTPS only, its certificate reloaded as
 * its files change ({@link CertificateReloader}).
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final CourierConfig config;
  private final HealthChecks readiness;
  private final MeterRegistry registry;
  private final WebSocketGates webSockets;
  private final HttpListener listener = new HttpListener();
  private WebSocketGate webSocketGate;

  /**
   * @param registry where the certificate reloads are counted
   * @param webSockets the node's WebSocket gate, or null on a node without the gate role
   */
  public HttpVerticle(
      CourierConfig config,
      HealthChecks readiness,
      MeterRegistry registry,
      WebSocketGates webSockets) {
    this.config = config;
    this.readiness = readiness;
    this.registry = registry;
    this.webSockets = webSockets;
  }

  @Override
  public Future<?> start() {
    Router main = Router.router(vertx);
    main.get("/v1/gates").handler(new GateListHandler(new GateDirectory(vertx)));
    // liveness: answering at all proves the event loop turns; no backend is consulted
    main.get("/health")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                HealthChecks.create(vertx)
                    .register(
                        "event-loop",
                        promise -> promise.complete(io.vertx.ext.healthchecks.Status.OK()))));
    main.get("/ready").handler(this::ready);
    HttpServerOptions options = new HttpServerOptions();
    if (webSockets != null) {
      webSocketGate = webSockets.open(vertx, context);
      main.get("/ws").handler(request -> webSocketGate.upgrade(request.request()));
      options = webSockets.fit(options);
    }
    ConsoleFiles.route(main);
    return listener.listen(
        vertx,
        options,
        main,
        config.httpPort(),
        config.httpHost(),
        config.httpTls(),
        config.tlsReloadInterval(),
        registry);
  }

  @Override
  public Future<?> stop() {
    listener.stop(vertx);
    return webSocketGate == null ? Future.succeededFuture() : webSocketGate.drain();
  }

  private void ready(RoutingContext request) {
    readiness
        .checkStatus()
        .onSuccess(
            result -> {
              for (CheckResult check : result.getChecks()) {
                if (check.getFailure() != null) {
                  LOG.warn(
                      "readiness check {} did not answer: {}",
                      check.getId(),
                      check.getFailure().toString());
                }
              }
              request
                  .response()
                  .setStatusCode(CheckResult.isUp(result) ? 200 : 503)
                  .putHeader("content-type", "application/json;charset=UTF-8")
                  .end(Readiness.report(result).encode());
            })
        .onFailure(
            failure -> {
              LOG.warn("readiness checks failed", failure);
              request.response().setStatusCode(503).end();
            });
  }
}
