package io.courier.http;

import io.courier.cluster.GateDirectory;
import io.courier.config.CourierConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The node's HTTP interface: {@code GET /v1/gates}, the healthy gates of the cluster (host, port, current
 * connections), least loaded first, for clients choosing where to connect.
 */
public final class HttpVerticle extends VerticleBase {
  private final CourierConfig config;

  public HttpVerticle(CourierConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    GateDirectory gates = new GateDirectory(vertx);
    Router router = Router.router(vertx);
    router.get("/v1/gates").handler(request -> gates.gates().onComplete(listed -> {
      if (listed.succeeded()) {
        request.json(new JsonObject().put("gates", new JsonArray(listed.result())));
      } else {
        request.response().setStatusCode(503).end();
      }
    }));
    return vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost());
  }
}
