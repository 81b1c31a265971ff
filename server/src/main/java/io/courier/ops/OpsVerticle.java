package io.courier.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Answers the operations queries addressed to this node ({@link #address(String)}), so that any
 * node's HTTP interface can aggregate the cluster: {@code {op: "arrival", appcode?, msgtype?,
 * window}} → this node's outcome counts over the window; {@code {op: "trace", logid}} → this node's
 * steps of that message.
 */
public final class OpsVerticle extends VerticleBase {
  private static final String PREFIX = "courier.internal.ops.";

  private final String node;
  private final ArrivalStats arrivals;
  private final TraceStore traces;

  public OpsVerticle(String node, ArrivalStats arrivals, TraceStore traces) {
    this.node = node;
    this.arrivals = arrivals;
    this.traces = traces;
  }

  public static String address(String node) {
    return PREFIX + node;
  }

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            address(node),
            message -> {
              JsonObject query = message.body();
              long now = System.currentTimeMillis();
              if ("arrival".equals(query.getString("op"))) {
                message.reply(
                    arrivals.sum(
                        query.getInteger("appcode"),
                        query.getInteger("msgtype"),
                        query.getInteger("window"),
                        now));
              } else {
                message.reply(
                    new JsonObject().put("steps", traces.steps(query.getString("logid"), now)));
              }
            })
        .completion();
  }
}
