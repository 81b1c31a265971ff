package io.courier.http;

import io.courier.cluster.GateDirectory;
import io.courier.cluster.GateOrder;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code GET /v1/gates}: the healthy gates as {@code {gates: [{node, host, port, connections,
 * updated}, …]}}, in an order drawn afresh for each request ({@link GateOrder}), so that clients
 * taking the first entry spread over the gates in proportion to their spare capacity; 503 with no
 * body when the shared data cannot be read.
 */
final class GateListHandler implements Handler<RoutingContext> {
  private final GateDirectory directory;

  GateListHandler(GateDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void handle(RoutingContext request) {
    directory
        .gates()
        .onComplete(
            listed -> {
              if (listed.succeeded()) {
                request.json(
                    new JsonObject()
                        .put(
                            "gates",
                            new JsonArray(
                                GateOrder.order(listed.result(), ThreadLocalRandom.current()))));
              } else {
                request.response().setStatusCode(503).end();
              }
            });
  }
}
