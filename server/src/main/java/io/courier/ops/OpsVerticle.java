package io.courier.ops;

import io.courier.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Answers the {@link OpsQuery operations queries} addressed to this node. Deployed on the admin
 * listener's worker pool: a trace scans the whole trace ring, which must not hold an event loop.
 */
public final class OpsVerticle extends VerticleBase {
  private final String node;
  private final ArrivalStats arrivals;
  private final TraceStore traces;

  public OpsVerticle(String node, ArrivalStats arrivals, TraceStore traces) {
    this.node = node;
    this.arrivals = arrivals;
    this.traces = traces;
  }

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ops(node),
            message -> {
              long now = System.currentTimeMillis();
              OpsQuery query = OpsQuery.fromJson(message.body());
              if (query instanceof OpsQuery.Arrival arrival) {
                message.reply(
                    arrivals.sum(
                        arrival.appcode(), arrival.msgtype(), arrival.windowSeconds(), now));
              } else if (query instanceof OpsQuery.Trace trace) {
                message.reply(new JsonObject().put("steps", traces.steps(trace.logid(), now)));
              }
            })
        .completion();
  }
}
