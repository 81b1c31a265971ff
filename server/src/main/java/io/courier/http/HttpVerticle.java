package io.courier.http;

import io.courier.cluster.GateDirectory;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.ops.OpsQuery;
import io.courier.protocol.body.Step;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node's HTTP interface.
 *
 * <ul>
 *   <li>{@code GET /v1/gates} — the healthy gates (host, port, connections), in a random order
 *       weighted by spare capacity ({@link GateListHandler}); public, for clients choosing where to
 *       connect.
 *   <li>{@code GET /v1/stats/arrival?appcode=&msgtype=&window=} and {@code GET /v1/trace/{logid}} —
 *       the admin API, aggregated over every node of the cluster; they need {@code Authorization:
 *       Bearer <ops.adminToken>} and are disabled (403) while no token is configured.
 *   <li>{@code GET /health} (liveness), {@code GET /ready} (readiness, per check), {@code GET
 *       /metrics} (Prometheus) — open, on a separate interface and port when {@code ops.port} is
 *       set.
 * </ul>
 */
public final class HttpVerticle extends VerticleBase {
  /** Longest arrival window: the hour that {@link io.courier.ops.ArrivalStats} keeps. */
  static final int MAX_WINDOW_SECONDS = 3600;

  static final int DEFAULT_WINDOW_SECONDS = 300;
  private static final long NODE_QUERY_TIMEOUT_MS = 2_000;

  private final CourierConfig config;
  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness;
  private final Supplier<List<String>> nodes;

  /**
   * @param nodes the ids of the cluster's nodes (just this node's when not clustered)
   */
  public HttpVerticle(
      CourierConfig config,
      PrometheusMeterRegistry registry,
      HealthChecks readiness,
      Supplier<List<String>> nodes) {
    this.config = config;
    this.registry = registry;
    this.readiness = readiness;
    this.nodes = nodes;
  }

  @Override
  public Future<?> start() {
    Router main = Router.router(vertx);
    main.get("/v1/gates").handler(new GateListHandler(new GateDirectory(vertx)));
    main.route("/v1/stats/*").handler(this::requireAdmin);
    main.route("/v1/trace/*").handler(this::requireAdmin);
    main.get("/v1/stats/arrival").handler(this::arrival);
    main.get("/v1/trace/:logid").handler(this::trace);
    Router ops = config.opsPort() == 0 ? main : Router.router(vertx);
    // liveness: answering at all proves the event loop turns; no backend is consulted
    ops.get("/health")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                HealthChecks.create(vertx)
                    .register(
                        "event-loop",
                        promise -> promise.complete(io.vertx.ext.healthchecks.Status.OK()))));
    ops.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    ops.get("/metrics")
        .handler(
            request ->
                request
                    .response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    Future<HttpServer> servers =
        vertx.createHttpServer().requestHandler(main).listen(config.httpPort(), config.httpHost());
    if (config.opsPort() != 0) {
      String host = config.opsHost() == null ? config.httpHost() : config.opsHost();
      servers =
          servers.compose(
              v -> vertx.createHttpServer().requestHandler(ops).listen(config.opsPort(), host));
    }
    return servers;
  }

  private void requireAdmin(RoutingContext request) {
    if (config.adminToken() == null) {
      request
          .response()
          .setStatusCode(403)
          .end("admin API disabled: set ops.adminToken (COURIER_ADMIN_TOKEN)\n");
      return;
    }
    String header = request.request().getHeader("Authorization");
    String expected = "Bearer " + config.adminToken();
    if (header == null
        || !MessageDigest.isEqual(
            header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
      return;
    }
    request.next();
  }

  private void arrival(RoutingContext request) {
    Integer appcode;
    Integer msgtype;
    int window;
    try {
      appcode = optionalInt(request.queryParams().get("appcode"));
      msgtype = optionalInt(request.queryParams().get("msgtype"));
      window = windowSeconds(request.queryParams().get("window"));
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end(e.getMessage() + "\n");
      return;
    }
    askAll(new OpsQuery.Arrival(appcode, msgtype, window))
        .onSuccess(
            answers -> {
              JsonObject counts = new JsonObject();
              for (Step outcome : Step.OUTCOMES) {
                long sum = 0;
                for (JsonObject answer : answers.replied()) {
                  sum += answer.getLong(outcome.wire(), 0L);
                }
                counts.put(outcome.wire(), sum);
              }
              long accepted = counts.getLong(Step.ACCEPTED.wire());
              request.json(
                  new JsonObject()
                      .put("window_seconds", window)
                      .put("appcode", appcode)
                      .put("msgtype", msgtype)
                      .put("nodes", answers.replied().size())
                      .put("unreachable_nodes", new JsonArray(answers.unreachable()))
                      .put("counts", counts)
                      .put(
                          "arrival_rate",
                          accepted == 0
                              ? null
                              : (double) counts.getLong(Step.ACKED.wire()) / accepted)
                      .put(
                          "push_rate",
                          accepted == 0
                              ? null
                              : (double) counts.getLong(Step.PUSHED.wire()) / accepted));
            });
  }

  private void trace(RoutingContext request) {
    String logid = request.pathParam("logid");
    askAll(new OpsQuery.Trace(logid))
        .onSuccess(
            answers -> {
              List<JsonObject> steps = new ArrayList<>();
              answers
                  .replied()
                  .forEach(
                      answer ->
                          answer
                              .getJsonArray("steps")
                              .forEach(step -> steps.add((JsonObject) step)));
              // nodes stamp steps in milliseconds: within one millisecond, the order of the flow
              // (the order of Step) decides
              steps.sort(
                  Comparator.comparingLong((JsonObject step) -> step.getLong("ts"))
                      .thenComparingInt(step -> flowOrder(step.getString("step"))));
              JsonObject body =
                  new JsonObject()
                      .put("logid", logid)
                      .put("steps", new JsonArray(steps))
                      .put("unreachable_nodes", new JsonArray(answers.unreachable()));
              request.response().setStatusCode(steps.isEmpty() ? 404 : 200);
              request.json(body);
            });
  }

  /** Where a step falls in the flow; a step this node does not know sorts first. */
  private static int flowOrder(String step) {
    Step known = Step.fromWire(step);
    return known == null ? -1 : known.ordinal();
  }

  private record Answers(List<JsonObject> replied, List<String> unreachable) {}

  /** Asks every node; a node that does not answer in time is listed as unreachable, not fatal. */
  private Future<Answers> askAll(OpsQuery query) {
    List<String> all = nodes.get();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(NODE_QUERY_TIMEOUT_MS);
    List<Future<JsonObject>> asked = new ArrayList<>();
    for (String node : all) {
      asked.add(
          vertx
              .eventBus()
              .<JsonObject>request(Addresses.ops(node), query.toJson(), options)
              .map(Message::body));
    }
    return Future.join(asked)
        .transform(
            done -> {
              List<JsonObject> replied = new ArrayList<>();
              List<String> unreachable = new ArrayList<>();
              for (int i = 0; i < asked.size(); i++) {
                if (asked.get(i).succeeded()) {
                  replied.add(asked.get(i).result());
                } else {
                  unreachable.add(all.get(i));
                }
              }
              return Future.succeededFuture(new Answers(replied, unreachable));
            });
  }

  private static Integer optionalInt(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("appcode and msgtype must be integers");
    }
  }

  /** {@code 300}, {@code 300s}, {@code 5m} or {@code 1h}; at most an hour. */
  static int windowSeconds(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_WINDOW_SECONDS;
    }
    int unit = 1;
    String digits = value;
    char last = value.charAt(value.length() - 1);
    if (last == 's' || last == 'm' || last == 'h') {
      unit = last == 'h' ? 3600 : last == 'm' ? 60 : 1;
      digits = value.substring(0, value.length() - 1);
    }
    int seconds;
    try {
      seconds = Math.multiplyExact(Integer.parseInt(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "window must be seconds, or a number followed by s, m or h");
    }
    if (seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
      throw new IllegalArgumentException(
          "window must be between 1 s and " + MAX_WINDOW_SECONDS + " s");
    }
    return seconds;
  }
}
