package io.courier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.courier.config.ConfigException;
import io.courier.testkit.FreePorts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one-command run (README): a node with the built-in development apps and no host configured
 * listens on loopback only — every listener answers on 127.0.0.1 and refuses 127.0.0.2, another
 * address of this host — and says so in one WARN line; a host set to another interface stops it.
 */
class DevelopmentModeNodeTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger nodeLogger = (Logger) LoggerFactory.getLogger(NodeVerticle.class);
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    log.start();
    nodeLogger.addAppender(log);
  }

  @AfterEach
  void stop() {
    nodeLogger.detachAppender(log);
    vertx.close().await();
  }

  @Test
  void everyListenerBindsLoopbackOnlyAndTheNodeSaysSoOnce() throws IOException {
    JsonObject config = ports();

    deploy(config);

    Map<String, Integer> listeners =
        Map.of(
            "gate", config.getJsonObject("gate").getInteger("port"),
            "HTTP", config.getJsonObject("http").getInteger("port"),
            "admin", config.getJsonObject("ops").getInteger("adminPort"),
            "bridge", config.getJsonObject("bridge").getInteger("port"));
    for (Map.Entry<String, Integer> listener : listeners.entrySet()) {
      connect("127.0.0.1", listener.getValue());
      assertThrows(
          ConnectException.class,
          () -> connect("127.0.0.2", listener.getValue()),
          listener.getKey() + " answers on another address than loopback");
    }
    List<String> warnings =
        log.list.stream()
            .filter(event -> event.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertEquals(1, warnings.size(), warnings::toString);
    String warning = warnings.get(0);
    assertTrue(
        warning.startsWith(
            "development mode: apps 101, 102, 103, 201, 301 use a published secret that anyone"
                + " can sign tokens with, so every listener binds loopback only (gate 127.0.0.1:"),
        warning);
    assertTrue(
        warning.endsWith(
            "(generate each with: openssl rand -base64 32) to listen on" + " other interfaces"),
        warning);
  }

  @Test
  void aHostOfAnotherInterfaceIsRefusedWithTheDevelopmentSecret() throws IOException {
    JsonObject config = ports();
    config.getJsonObject("gate").put("host", "0.0.0.0");

    Throwable refused =
        assertThrows(RuntimeException.class, () -> deploy(config), "started on 0.0.0.0");

    ConfigException problem = assertInstanceOf(ConfigException.class, refused);
    assertTrue(
        problem
            .getMessage()
            .startsWith(
                "invalid configuration: gate.host (environment COURIER_GATE_HOST) is 0.0.0.0, not"
                    + " a loopback address"),
        problem.getMessage());
  }

  private void deploy(JsonObject config) {
    vertx
        .deployVerticle(
            new NodeVerticle(1, null, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new DeploymentOptions().setConfig(config))
        .await();
  }

  /** Ports and a data directory, and no host at all. */
  private static JsonObject ports() throws IOException {
    return new JsonObject()
        .put("gate", new JsonObject().put("port", FreePorts.next()).put("drainSeconds", 0))
        .put("http", new JsonObject().put("port", FreePorts.next()))
        .put("ops", new JsonObject().put("adminPort", FreePorts.next()))
        .put("bridge", new JsonObject().put("port", FreePorts.next()))
        .put(
            "data",
            new JsonObject().put("dir", Files.createTempDirectory("courier-dev-mode").toString()));
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
    }
  }
}
