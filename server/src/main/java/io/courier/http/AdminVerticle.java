package io.courier.http;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.Reply;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifyResult;
import io.courier.ops.OpsQuery;
import io.courier.ops.Reach;
import io.courier.protocol.Code;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.Step;
import io.courier.tls.CertificateReloader;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin listener ({@code ops.adminHost}:{@code ops.adminPort}, loopback by default), for
 * operators and Prometheus, never for clients:
 *
 * <ul>
 *   <li>{@code GET /metrics} — Prometheus text, Vert.x's meters and Courier's; no token.
 *   <li>{@code GET /v1/stats/arrival?appcode=&msgtype=&window=} and {@code GET /v1/trace/{logid}} —
 *       the admin API, aggregated over every node of the cluster; they need {@code Authorization:
 *       Bearer <ops.adminToken>} and are disabled (403) while no token is configured.
 *   <li>{@code POST /v1/kick}, {@code POST /v1/bans}, {@code GET /v1/bans}, {@code DELETE
 *       /v1/bans?uid=|ip=}, {@code POST /v1/revocations}, {@code GET /v1/revocations} — the
 *       operator controls, with the same token; each is the {@code courier.admin.*} (or {@code
 *       courier.tokens.revoke}) request of the same name (docs/operations.md, operator controls).
 * </ul>
 *
 * <p>It runs as a worker verticle on a pool of its own ({@link #deploymentOptions()}), so that
 * rendering every series for a scrape, or sorting a trace, never holds an event loop that serves
 * gate connections. Vert.x's own Prometheus handler ({@code PrometheusScrapingHandler}) scrapes on
 * the calling context, which for an HTTP server on a standard verticle is such an event loop.
 *
 * <p>With {@code ops.adminTlsCert} it serves HTTPS only, its certificate reloaded as its files
 * change ({@link CertificateReloader}).
 */
public final class AdminVerticle extends VerticleBase {
  /** Longest arrival window: the hour that {@link io.courier.ops.ArrivalStats} keeps. */
  static final int MAX_WINDOW_SECONDS = 3600;

  static final int DEFAULT_WINDOW_SECONDS = 300;

  /** The worker pool of the admin listener and of the node's answers to operations queries. */
  public static final String POOL = "courier-admin";

  private static final int POOL_SIZE = 2;
  private static final long NODE_QUERY_TIMEOUT_MS = 2_000;

  /** Largest body of an operator control: a ban with its reason fits in far less. */
  static final int MAX_CONTROL_BODY_BYTES = 4_096;

  private final CourierConfig config;
  private final PrometheusMeterRegistry registry;
  private final DeliveryLabels labels;
  private final Supplier<List<String>> nodes;
  private final HttpListener listener = new HttpListener();

  /**
   * @param labels what the delivery counts are kept under, to check the arrival report's filters
   * @param nodes the ids of the cluster's nodes (just this node's when not clustered)
   */
  public AdminVerticle(
      CourierConfig config,
      PrometheusMeterRegistry registry,
      DeliveryLabels labels,
      Supplier<List<String>> nodes) {
    this.config = config;
    this.registry = registry;
    this.labels = labels;
    this.nodes = nodes;
  }

  /** A worker on the {@value #POOL} pool: off the event loops. */
  public static DeploymentOptions deploymentOptions() {
    return new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(POOL)
        .setWorkerPoolSize(POOL_SIZE);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            request ->
                request
                    .response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    router.route("/v1/stats/*").handler(this::requireAdmin);
    router.route("/v1/trace/*").handler(this::requireAdmin);
    router.route("/v1/kick").handler(this::requireAdmin);
    router.route("/v1/bans").handler(this::requireAdmin);
    router.route("/v1/kick").handler(BodyHandler.create().setBodyLimit(MAX_CONTROL_BODY_BYTES));
    router.route("/v1/bans").handler(BodyHandler.create().setBodyLimit(MAX_CONTROL_BODY_BYTES));
    router.route("/v1/revocations").handler(this::requireAdmin);
    router
        .route("/v1/revocations")
        .handler(BodyHandler.create().setBodyLimit(MAX_CONTROL_BODY_BYTES));
    router
        .post("/v1/revocations")
        .handler(request -> control(request, Addresses.TOKENS_REVOKE, body(request)));
    router
        .get("/v1/revocations")
        .handler(request -> control(request, Addresses.ADMIN_REVOCATIONS, new JsonObject()));
    router
        .post("/v1/kick")
        .handler(request -> control(request, Addresses.ADMIN_KICK, body(request)));
    router
        .post("/v1/bans")
        .handler(request -> control(request, Addresses.ADMIN_BAN, body(request)));
    router
        .get("/v1/bans")
        .handler(request -> control(request, Addresses.ADMIN_BANS, new JsonObject()));
    router
        .delete("/v1/bans")
        .handler(request -> control(request, Addresses.ADMIN_UNBAN, target(request)));
    router.get("/v1/stats/arrival").handler(this::arrival);
    router.get("/v1/trace/:logid").handler(this::trace);
    return listener.listen(
        vertx,
        router,
        config.adminPort(),
        config.adminHost(),
        config.adminTls(),
        config.tlsReloadInterval(),
        registry);
  }

  @Override
  public Future<?> stop() {
    listener.stop(vertx);
    return Future.succeededFuture();
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

  /**
   * Hands an operator control to {@code address} (the consumers businesses use on the event bus),
   * on this node only, and answers with its body: HTTP 200 for code 0, 400, 429 and 504 as
   * themselves, else 503. A request whose body is not a JSON object is answered 400 without asking.
   *
   * @implNote Local delivery, so that the node the operator called is the one that applies a ban
   *     first (before its answer) and the others follow on the change notice; over the cluster any
   *     node's consumer could answer.
   */
  private void control(RoutingContext request, String address, JsonObject body) {
    if (body == null) {
      request.response().setStatusCode(400);
      request.json(Result.error(Code.BAD_REQUEST, "body must be a JSON object").toJson());
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            address,
            body,
            new DeliveryOptions().setSendTimeout(NODE_QUERY_TIMEOUT_MS).setLocalOnly(true))
        .onComplete(
            answer -> {
              JsonObject json =
                  answer.succeeded()
                      ? answer.result().body()
                      : Result.error(Reply.codeOf(answer.cause()), null).toJson();
              int code = json.getInteger("code", Code.INTERNAL.value());
              request
                  .response()
                  .setStatusCode(
                      code == Code.OK.value()
                          ? 200
                          : code == Code.BAD_REQUEST.value()
                                  || code == Code.RATE_LIMITED.value()
                                  || code == Code.TIMEOUT.value()
                              ? code
                              : 503);
              request.json(json);
            });
  }

  /** The request's body as a JSON object, or null when it is not one. */
  private static JsonObject body(RoutingContext request) {
    try {
      Object json = request.body().asJsonObject();
      return json instanceof JsonObject object ? object : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The target of {@code DELETE /v1/bans?uid=} or {@code ?ip=}, as an unban body. */
  private static JsonObject target(RoutingContext request) {
    JsonObject target = new JsonObject();
    String uid = request.queryParams().get("uid");
    String ip = request.queryParams().get("ip");
    if (uid != null) {
      target.put("uid", uid);
    }
    if (ip != null) {
      target.put("ip", ip);
    }
    return target;
  }

  private void arrival(RoutingContext request) {
    Integer appcode;
    String msgtype;
    int window;
    try {
      appcode = appcode(request.queryParams().get("appcode"));
      msgtype = msgtype(appcode, request.queryParams().get("msgtype"));
      window = windowSeconds(request.queryParams().get("window"));
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end(e.getMessage() + "\n");
      return;
    }
    askAll(new OpsQuery.Arrival(appcode == null ? null : appcode.toString(), msgtype, window))
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
                      .put("msgtype", msgtype == null ? null : shown(msgtype))
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
                              : (double) counts.getLong(Step.PUSHED.wire()) / accepted)
                      .put(ArrivalStats.REACH, reach(answers.replied()))
                      .put(ArrivalStats.REACH_MS, reachMs(answers.replied()))
                      .put(ArrivalStats.NOTIFICATIONS, notifications(answers.replied())));
            });
  }

  /**
   * The {@link Reach} counts summed over the nodes, with {@code not_reached}: the qos-1 messages
   * accepted ({@code due}) that no path counted, within the window (approximate at its edges: a
   * message accepted before the window and reached in it counts against it).
   */
  private static JsonObject reach(List<JsonObject> answers) {
    JsonObject reach = new JsonObject();
    long reached = 0;
    for (Reach path : Reach.values()) {
      long sum = sum(answers, ArrivalStats.REACH, path.wire());
      reach.put(path.wire(), sum);
      if (path != Reach.DUE) {
        reached += sum;
      }
    }
    return reach.put("not_reached", Math.max(0, reach.getLong(Reach.DUE.wire()) - reached));
  }

  /** The mean time from accept to reaching the receiver, in ms, per path; null without any. */
  private static JsonObject reachMs(List<JsonObject> answers) {
    JsonObject means = new JsonObject();
    for (Reach path : Reach.values()) {
      if (path == Reach.DUE) {
        continue;
      }
      long count = sum(answers, ArrivalStats.REACH, path.wire());
      long ms = sum(answers, ArrivalStats.REACH_MS, path.wire());
      means.put(path.wire(), count == 0 ? null : ms / count);
    }
    return means;
  }

  private static JsonObject notifications(List<JsonObject> answers) {
    JsonObject results = new JsonObject();
    for (NotifyResult result : NotifyResult.values()) {
      results.put(result.wire(), sum(answers, ArrivalStats.NOTIFICATIONS, result.wire()));
    }
    return results;
  }

  /** {@code family.name} summed over the nodes' answers; a node of an older version has none. */
  private static long sum(List<JsonObject> answers, String family, String name) {
    long sum = 0;
    for (JsonObject answer : answers) {
      JsonObject counts = answer.getJsonObject(family);
      if (counts != null) {
        sum += counts.getLong(name, 0L);
      }
    }
    return sum;
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

  /** A configured appcode, or null for all. */
  private Integer appcode(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    int appcode = number(value, "appcode");
    if (!labels.configured(appcode)) {
      throw new IllegalArgumentException("appcode " + appcode + " is not configured (apps)");
    }
    return appcode;
  }

  /**
   * The msgtype label to sum: a number counted apart for {@code appcode} (any appcode when null),
   * {@code other}, or null for all.
   */
  private String msgtype(Integer appcode, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.equals(DeliveryLabels.OTHER)) {
      return DeliveryLabels.OTHER;
    }
    int msgtype = number(value, "msgtype");
    if (!labels.countsApart(appcode, msgtype)) {
      throw new IllegalArgumentException(
          "msgtype "
              + msgtype
              + (appcode == null ? "" : " of appcode " + appcode)
              + " is counted as msgtype=other: list it in ops.metricMsgtypes"
              + " (COURIER_METRIC_MSGTYPES) to count it apart");
    }
    return Integer.toString(msgtype);
  }

  private static int number(String value, String name) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be an integer" + (name.equals("msgtype") ? " or other" : ""));
    }
  }

  /** A msgtype label as the report shows it: a number as a number, {@code other} as a string. */
  private static Object shown(String msgtype) {
    return msgtype.equals(DeliveryLabels.OTHER) ? msgtype : Integer.valueOf(msgtype);
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
