package io.courier.testkit;

import io.courier.NodeVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Courier node deployed in the test's Vert.x on free ports, with a fresh data directory. Settings
 * in {@code overrides} are merged over the test defaults (two gate instances, so that sessions of
 * one test land on different event loops).
 */
public final class TestNode {
  private final Vertx vertx;
  private final JsonObject config;
  private final String deploymentId;
  private final NodeVerticle verticle;

  private TestNode(Vertx vertx, JsonObject config, String deploymentId, NodeVerticle verticle) {
    this.vertx = vertx;
    this.config = config;
    this.deploymentId = deploymentId;
    this.verticle = verticle;
  }

  /** Starts a node and waits until it is ready. Call from a test thread, not an event loop. */
  public static TestNode start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** As {@link #start(Vertx, JsonObject)}, with the node's meters in {@code registry}. */
  public static TestNode start(
      Vertx vertx, JsonObject overrides, PrometheusMeterRegistry registry) {
    try {
      Path dataDir = Files.createTempDirectory("courier-test");
      JsonObject config =
          new JsonObject()
              .put(
                  "gate",
                  new JsonObject()
                      .put("port", FreePorts.next())
                      .put("instances", 2)
                      .put("host", "127.0.0.1")
                      .put("drainSeconds", 0))
              .put("http", new JsonObject().put("port", FreePorts.next()).put("host", "127.0.0.1"))
              .put("ops", new JsonObject().put("adminPort", FreePorts.next()))
              .put("bridge", new JsonObject().put("port", FreePorts.next()))
              .put("data", new JsonObject().put("dir", dataDir.toString()))
              .mergeIn(overrides, true);
      NodeVerticle verticle =
          new NodeVerticle(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, null, registry);
      String id = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
      return new TestNode(vertx, config, id, verticle);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static TestNode start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }

  public int gatePort() {
    return config.getJsonObject("gate").getInteger("port");
  }

  /** The port of the node's public HTTP listener (and WebSocket gate), on 127.0.0.1. */
  public int httpPort() {
    return config.getJsonObject("http").getInteger("port");
  }

  /** The port of the node's admin listener (metrics, admin API), on 127.0.0.1. */
  public int adminPort() {
    return config.getJsonObject("ops").getInteger("adminPort");
  }

  /** The node id recorded in presence. */
  public String node() {
    return verticle.node();
  }

  public JsonObject config() {
    return config;
  }

  /** Undeploys the node and waits until its sockets are closed. */
  public void stop() {
    stopAsync().await();
  }

  /** Starts undeploying the node (draining its gate); completes when it is done. */
  public io.vertx.core.Future<Void> stopAsync() {
    return vertx.undeploy(deploymentId);
  }
}
