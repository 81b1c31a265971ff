package io.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.courier.testkit.ClientSide;
import io.courier.testkit.CuttableProxy;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /ready} follows the backends, and on the public port says why a check is down only
 * with a fixed word: never a backend's error text.
 */
class ReadinessTest {
  @RegisterExtension final ClientSide side = new ClientSide();
  private HttpProbe http;

  @BeforeEach
  void setUp() {
    http = new HttpProbe(side.vertx());
  }

  @Test
  void theReportShowsNeitherAFailureNorACheckOwnData() {
    CheckResult result =
        new CheckResult()
            .setChecks(
                List.of(
                    CheckResult.from(
                        "store", new SQLException("Access denied for user 'courier'@'10.1.2.3'")),
                    CheckResult.from(
                        "presence",
                        Status.KO(
                            new JsonObject()
                                .put(
                                    "reason", "Connection refused: redis.internal/10.0.0.7:6379"))),
                    CheckResult.from("gate", Readiness.Reason.DRAINING.status()),
                    CheckResult.from("cluster", Status.OK())));

    JsonObject report = Readiness.report(result);

    assertEquals(
        Map.of(
            "store", "DOWN no answer",
            "presence", "DOWN no answer",
            "gate", "DOWN draining",
            "cluster", "UP"),
        checks(report));
    assertEquals("DOWN", report.getString("status"));
    assertEquals("DOWN", report.getString("outcome"));
  }

  @Test
  void withRedisDownThePresenceCheckIsUnreachableAndRecovers() {
    LocalServices.requireRedis();
    CuttableProxy redis = CuttableProxy.inFrontOfRedis(side.vertx());
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "presence",
                    new JsonObject()
                        .put("backend", "redis")
                        .put("redisUrl", "redis://127.0.0.1:" + redis.port())));
    assertEquals(200, ready(node).statusCode());

    redis.cut();
    HttpProbe.Response down = ready(node);

    assertEquals(503, down.statusCode());
    assertEquals("DOWN unreachable", checks(down.body().toJsonObject()).get("presence"));
    assertNoBackendText(down, redis.port());
    redis.restore();
    assertEquals(200, ready(node).statusCode());
  }

  @Test
  void withMysqlDownTheStoreCheckIsUnreachableAndRecovers() {
    LocalServices.requireMysql();
    List<String> databases = List.of("courier_ready_0");
    MySqlDatabases.recreate(side.vertx(), databases);
    CuttableProxy mysql = CuttableProxy.inFrontOfMysql(side.vertx());
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "store",
                    new JsonObject()
                        .put("backend", "mysql")
                        .put(
                            "mysqlShards",
                            new JsonArray()
                                .add(
                                    MySqlDatabases.uri(
                                        "127.0.0.1", mysql.port(), databases.get(0))))));
    assertEquals(200, ready(node).statusCode());

    mysql.cut();
    HttpProbe.Response down = ready(node);

    assertEquals(503, down.statusCode());
    assertEquals("DOWN unreachable", checks(down.body().toJsonObject()).get("store"));
    assertNoBackendText(down, mysql.port());
    mysql.restore();
    assertEquals(200, ready(node).statusCode());
  }

  private HttpProbe.Response ready(TestNode node) {
    return http.get(node.config().getJsonObject("http").getInteger("port"), "/ready");
  }

  /** Check id → "UP", or "DOWN " and its reason. */
  private static Map<String, String> checks(JsonObject report) {
    Map<String, String> checks = new TreeMap<>();
    for (Object item : report.getJsonArray("checks")) {
      JsonObject check = (JsonObject) item;
      String status = check.getString("status");
      checks.put(
          check.getString("id"),
          status.equals("UP")
              ? status
              : status + " " + check.getJsonObject("data").getString("reason"));
    }
    return checks;
  }

  private static void assertNoBackendText(HttpProbe.Response response, int backendPort) {
    String body = response.body().toString();
    assertFalse(body.contains(Integer.toString(backendPort)), body);
    assertFalse(body.contains("127.0.0.1"), body);
    assertFalse(body.toLowerCase().contains("refused"), body);
    assertFalse(body.toLowerCase().contains("exception"), body);
  }
}
