package io.courier.http;

import io.courier.cluster.GateDirectory;
import io.courier.config.CourierConfig;
import io.courier.tls.CertificateReloader;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * </ul>
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
  private final HttpListener listener = new HttpListener();

  /**
   * @param registry where the certificate reloads are counted
   */
  public HttpVerticle(CourierConfig config, HealthChecks readiness, MeterRegistry registry) {
    this.config = config;
    this.readiness = readiness;
    this.registry = registry;
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
    return listener.listen(
        vertx,
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
    return Future.succeededFuture();
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
