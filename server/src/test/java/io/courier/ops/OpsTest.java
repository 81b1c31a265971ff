package io.courier.ops;

import static io.courier.testkit.TestSession.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierConnection;
import io.courier.contract.Addresses;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What operators see on the admin listener: traces by logid, delivery counters and the arrival
 * report, admin auth. Readiness and the split of the listeners: {@code http/ReadinessTest}, {@code
 * http/AdminListenerTest}.
 */
class OpsTest {
  private static final String TOKEN = "ops-test-token-of-at-least-32-bytes";
  @RegisterExtension final ClientSide side = new ClientSide();
  private HttpClient http;

  @BeforeEach
  void setUp() {
    http = side.vertx().createHttpClient();
  }

  private TestNode node(JsonObject overrides) {
    return TestNode.start(
        side.vertx(),
        new JsonObject()
            .put("ops", new JsonObject().put("adminToken", TOKEN))
            .put("routing", new JsonObject().put("ackTimeoutMs", 200).put("pushRetries", 1))
            .mergeIn(overrides, true));
  }

  @Test
  void aTraceHasEveryStepOfAMessageInOrder() throws Exception {
    TestNode node = node(new JsonObject());
    TestSession alice = TestSession.login(side.client(), node, side.tokens(), "tr-alice", 101);
    TestSession bob = TestSession.login(side.client(), node, side.tokens(), "tr-bob", 101);
    Promise<JsonObject> acked = receipt("tr-bob", "acked");
    String logid = "trace-c2c-0001";
    JsonObject sent =
        alice.request(
            io.courier.protocol.Command.C2C,
            new JsonObject()
                .put("to_uid", "tr-bob")
                .put("to_appcode", 101)
                .put("cmid", "t1")
                .put("msgtype", 1)
                .put("content", "trace me")
                .put("logid", logid));
    assertEquals(logid, bob.nextPush().getString("logid"));
    await(acked);
    assertEquals(List.of("accepted", "routed", "pushed", "acked"), steps(node, logid));

    Promise<JsonObject> expired = receipt("tr-carol", "stored");
    TestSession carol =
        TestSession.login(side.client(), node, side.tokens(), "tr-carol", 101, false);
    String unacked = "trace-unacked-01";
    alice.request(
        io.courier.protocol.Command.C2C,
        new JsonObject()
            .put("to_uid", "tr-carol")
            .put("to_appcode", 101)
            .put("cmid", "t2")
            .put("msgtype", 1)
            .put("content", "ignore me")
            .put("logid", unacked));
    carol.nextPushFrame();
    carol.nextPushFrame();
    await(expired);
    carol.pull(null, null);
    assertEquals(
        List.of("accepted", "routed", "pushed", "resent", "expired", "pulled"),
        steps(node, unacked));
    assertEquals(
        sent.getString("msgid"),
        trace(node, logid).getJsonArray("steps").getJsonObject(0).getString("msgid"));
    assertEquals(404, admin(node, "/v1/trace/no-such-logid", TOKEN).statusCode());
  }

  @Test
  void countersAndTheArrivalReportCountEachOutcomeExactly() throws Exception {
    TestNode node =
        node(
            new JsonObject()
                .put(
                    "ops",
                    new JsonObject()
                        .put("metricMsgtypes", new JsonObject().put("201", List.of(7)))));
    TestSession online = TestSession.login(side.client(), node, side.tokens(), "ar-online", 201);
    Promise<Void> threeAcked = receipts("ar-online", "acked", 3);
    for (int i = 0; i < 3; i++) {
      s2c(node, "ar-online", 7);
      online.nextPush();
    }
    await(threeAcked);
    s2c(node, "ar-offline", 7);
    s2c(node, "ar-offline", 7);
    s2c(node, "ar-offline", 8);
    TestSession offline =
        TestSession.login(side.client(), node, side.tokens(), "ar-offline", 201, false);
    assertEquals(3, offline.pull(null, null).getJsonArray("msgs").size());

    JsonObject msgtype7 =
        json(admin(node, "/v1/stats/arrival?appcode=201&msgtype=7&window=5m", TOKEN));
    assertEquals(
        new JsonObject()
            .put("accepted", 5L)
            .put("pushed", 3L)
            .put("acked", 3L)
            .put("stored", 2L)
            .put("pulled", 2L)
            .put("expired", 0L)
            .put("notified", 0L),
        msgtype7.getJsonObject("counts"));
    assertEquals(5L, msgtype7.getJsonObject("reach").getLong("due"));
    assertEquals(3L, msgtype7.getJsonObject("reach").getLong("live"));
    assertEquals(0.6, msgtype7.getDouble("arrival_rate"), 1e-9);
    assertEquals(300, msgtype7.getInteger("window_seconds"));
    assertEquals(1, msgtype7.getInteger("nodes"));
    JsonObject all = json(admin(node, "/v1/stats/arrival?window=300", TOKEN));
    assertEquals(6L, all.getJsonObject("counts").getLong("accepted"));
    JsonObject other = json(admin(node, "/v1/stats/arrival?appcode=201&msgtype=other", TOKEN));
    assertEquals("other", other.getString("msgtype"));
    assertEquals(1L, other.getJsonObject("counts").getLong("accepted"), "msgtype 8 is not listed");
    Response notListed = admin(node, "/v1/stats/arrival?appcode=201&msgtype=8", TOKEN);
    assertEquals(400, notListed.statusCode());
    assertTrue(notListed.body().toString().contains("msgtype=other"), notListed.body().toString());

    String metrics = admin(node, "/metrics", null).body().toString();
    assertTrue(
        metrics.contains(
            "courier_delivery_total{appcode=\"201\",kind=\"s2c\",msgtype=\"7\",outcome=\"acked\"} 3.0"),
        metrics);
    assertTrue(
        metrics.contains(
            "courier_delivery_total{appcode=\"201\",kind=\"s2c\",msgtype=\"other\",outcome=\"pulled\"} 1.0"),
        metrics);
    assertTrue(metrics.contains("courier_logins_total{result=\"ok\"} 2.0"));
    assertTrue(metrics.contains("courier_push_ack_seconds_count{kind=\"s2c\"} 3"));
    assertEquals(400, admin(node, "/v1/stats/arrival?window=2h", TOKEN).statusCode());
  }

  @Test
  void aFrameSentRightAfterLoginIsCountedOnce() throws Exception {
    TestNode node = node(new JsonObject());
    CourierConnection connection = side.client().connect(node.gatePort(), "127.0.0.1").await();
    Future<JsonObject> login =
        connection.login("ops-pipelined", 101, side.tokens().valid("ops-pipelined", 101));
    Future<JsonObject> ping = connection.ping();

    assertEquals(0, login.await(TestSession.WAIT_SECONDS, TimeUnit.SECONDS).getInteger("code"));
    assertEquals(0, ping.await(TestSession.WAIT_SECONDS, TimeUnit.SECONDS).getInteger("code"));
    String metrics = admin(node, "/metrics", null).body().toString();
    assertTrue(metrics.contains("courier_frames_total{cmd=\"LOGIN\"} 1.0"), metrics);
    assertTrue(metrics.contains("courier_frames_total{cmd=\"PING\"} 1.0"), metrics);
  }

  @Test
  void theAdminApiRefusesRequestsWithoutTheToken() {
    TestNode node = node(new JsonObject());
    assertEquals(401, admin(node, "/v1/stats/arrival", null).statusCode());
    assertEquals(401, admin(node, "/v1/trace/abcdefgh", "wrong").statusCode());
    assertEquals(200, admin(node, "/v1/stats/arrival", TOKEN).statusCode());
    Vertx other = Vertx.vertx();
    try {
      TestNode noToken = TestNode.start(other);
      assertEquals(403, admin(noToken, "/v1/stats/arrival", "anything").statusCode());
    } finally {
      other.close().await();
    }
  }

  private List<String> steps(TestNode node, String logid) {
    return trace(node, logid).getJsonArray("steps").stream()
        .map(step -> ((JsonObject) step).getString("step"))
        .toList();
  }

  private JsonObject trace(TestNode node, String logid) {
    return json(admin(node, "/v1/trace/" + logid, TOKEN));
  }

  private void s2c(TestNode node, String uid, int msgtype) {
    JsonObject answer =
        side.vertx()
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", uid)
                    .put("to_appcode", 201)
                    .put("msgtype", msgtype)
                    .put("content", "x"))
            .await()
            .body();
    assertEquals(0, answer.getInteger("code"));
  }

  /** A response read whole: the body is taken while the response arrives, never after it ended. */
  private record Response(int statusCode, Buffer body) {}

  /** A GET on the node's public HTTP port. */
  private Response get(TestNode node, String path, String token) {
    return get(node.config().getJsonObject("http").getInteger("port"), path, token);
  }

  /** A GET on the node's admin listener. */
  private Response admin(TestNode node, String path, String token) {
    return get(node.adminPort(), path, token);
  }

  private Response get(int port, String path, String token) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            .setIdleTimeout(10_000);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response.body().map(body -> new Response(response.statusCode(), body))))
        .await();
  }

  private static JsonObject json(Response response) {
    assertEquals(200, response.statusCode(), response.body().toString());
    return response.body().toJsonObject();
  }

  private Promise<JsonObject> receipt(String uid, String status) {
    Promise<JsonObject> promise = Promise.promise();
    side.vertx()
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RECEIPTS,
            message -> {
              if (uid.equals(message.body().getString("to_uid"))
                  && status.equals(message.body().getString("status"))) {
                promise.tryComplete(message.body());
              }
            })
        .completion()
        .await();
    return promise;
  }

  private Promise<Void> receipts(String uid, String status, int count) {
    Promise<Void> promise = Promise.promise();
    int[] seen = {0};
    side.vertx()
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RECEIPTS,
            message -> {
              if (uid.equals(message.body().getString("to_uid"))
                  && status.equals(message.body().getString("status"))
                  && ++seen[0] == count) {
                promise.tryComplete();
              }
            })
        .completion()
        .await();
    return promise;
  }
}
