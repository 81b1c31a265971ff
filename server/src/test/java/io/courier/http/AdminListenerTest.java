package io.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.testkit.ClientSide;
import io.courier.testkit.RealApps;
import io.courier.testkit.TestNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The split between the public HTTP port (gate list, health, readiness) and the admin listener
 * (metrics, arrival report, traces).
 */
class AdminListenerTest {
  private static final String TOKEN = "admin-listener-token-of-32-bytes-";
  @RegisterExtension final ClientSide side = new ClientSide();
  private HttpProbe http;

  @BeforeEach
  void setUp() {
    http = new HttpProbe(side.vertx());
  }

  @Test
  void metricsAndTheAdminApiAreServedOnlyByTheAdminListener() {
    TestNode node =
        TestNode.start(
            side.vertx(), new JsonObject().put("ops", new JsonObject().put("adminToken", TOKEN)));
    int publicPort = node.config().getJsonObject("http").getInteger("port");

    for (String path : new String[] {"/metrics", "/v1/stats/arrival", "/v1/trace/order-1"}) {
      assertEquals(
          404, http.get("127.0.0.1", publicPort, path, TOKEN).statusCode(), "public " + path);
    }
    assertEquals(200, http.get(publicPort, "/health").statusCode());
    assertEquals(200, http.get(publicPort, "/ready").statusCode());
    assertEquals(200, http.get(publicPort, "/v1/gates").statusCode(), "the gate list is public");

    HttpProbe.Response metrics = http.get(node.adminPort(), "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
    assertTrue(
        metrics.body().toString().contains("courier_connections"), metrics.body().toString());
    assertEquals(
        200,
        http.get("127.0.0.1", node.adminPort(), "/v1/stats/arrival", TOKEN).statusCode(),
        "the admin API keeps its token");
    assertEquals(401, http.get(node.adminPort(), "/v1/stats/arrival").statusCode());
    assertEquals(404, http.get(node.adminPort(), "/v1/gates").statusCode());
  }

  @Test
  void theAdminListenerBindsLoopbackOnlyByDefault() {
    // every interface needs real secrets: with the development apps it would be refused
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put("http", new JsonObject().put("host", "0.0.0.0"))
                .put("apps", RealApps.json()));
    int publicPort = node.config().getJsonObject("http").getInteger("port");

    // 127.0.0.2 is another address of this host: the public port (on every interface) answers
    // there, the admin listener (on 127.0.0.1 only) does not
    assertEquals(200, http.get("127.0.0.2", publicPort, "/health", null).statusCode());
    assertThrows(
        ConnectException.class, () -> http.get("127.0.0.2", node.adminPort(), "/metrics", null));
    assertEquals(200, http.get(node.adminPort(), "/metrics").statusCode());
  }

  @Test
  void aScrapeRunsOnTheAdminWorkerPoolNotOnAnEventLoop() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<String> scrapedOn = new AtomicReference<>();
    Gauge.builder(
            "test.scrape.thread",
            () -> {
              scrapedOn.set(Thread.currentThread().getName());
              return 1;
            })
        .register(registry);
    TestNode node = TestNode.start(side.vertx(), new JsonObject(), registry);

    assertEquals(200, http.get(node.adminPort(), "/metrics").statusCode());

    assertTrue(scrapedOn.get().startsWith(AdminVerticle.POOL), scrapedOn.get());
  }
}
