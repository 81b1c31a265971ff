package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierConnection;
import io.courier.protocol.Command;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client spraying distinct msgtypes through a real node: the node's series stay those its
 * configuration allows (issue 13: "a client spraying 10,000 distinct msgtypes adds no more than a
 * handful of metric series").
 */
class MetricCardinalityTest {
  private static final int SPRAYED = 10_000;

  /** Connections the spray is spread over, so that the store commits larger batches. */
  private static final int SENDERS = 8;

  /**
   * Series the spray may add: labels first used during it (a full run under load added 4), never
   * one per msgtype.
   */
  private static final int HANDFUL = 10;

  /** C2C requests in flight per connection: below every per-connection request limit. */
  private static final int WINDOW = 16;

  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void tenThousandDistinctMsgtypesAddNoSeries() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "ops",
                    new JsonObject().put("metricMsgtypes", new JsonObject().put("101", List.of(1))))
                // the spray is sent as fast as answers come: the rate limits are not under test
                .put(
                    "gate",
                    new JsonObject()
                        .put("c2cRatePerSender", 1_000_000)
                        .put("c2cBurst", 1_000_000)
                        .put("maxFramesPerSecond", 1_000_000)
                        .put("frameBurst", 1_000_000)),
            registry);
    TestSession alice = TestSession.login(side.client(), node, side.tokens(), "spray-alice", 101);
    TestSession bob = TestSession.login(side.client(), node, side.tokens(), "spray-bob", 101);
    // one message of a listed msgtype and one of another: their series exist before the spray
    send(alice.connection(), List.of(c2c(1, "warm-1"), c2c(2, "warm-2")));
    bob.nextPush();
    bob.nextPush();
    Set<Meter.Id> before = ids(registry);

    List<CourierConnection> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(
          TestSession.login(side.client(), node, side.tokens(), "spray-" + i, 101).connection());
    }
    List<Future<JsonObject>> window = new ArrayList<>();
    for (int msgtype = 3; msgtype < 3 + SPRAYED; msgtype++) {
      CourierConnection sender = senders.get(msgtype % SENDERS);
      window.add(sender.request(Command.C2C, c2c(msgtype, "spray-" + msgtype)));
      if (window.size() == SENDERS * WINDOW) {
        assertAllAccepted(window);
      }
    }
    assertAllAccepted(window);
    for (int i = 0; i < SPRAYED; i++) {
      bob.nextPush();
    }

    Set<Meter.Id> added = ids(registry);
    added.removeAll(before);
    assertTrue(added.size() <= HANDFUL, added.size() + " series added: " + added);
    Set<String> msgtypes = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      String msgtype = meter.getId().getTag("msgtype");
      if (msgtype != null) {
        msgtypes.add(msgtype);
      }
    }
    assertEquals(Set.of("1", "other"), msgtypes);
    assertEquals(
        SPRAYED + 1.0,
        registry
            .get("courier.delivery")
            .tags("appcode", "101", "msgtype", "other", "outcome", "accepted")
            .counter()
            .count());
  }

  private static Set<Meter.Id> ids(PrometheusMeterRegistry registry) {
    Set<Meter.Id> ids = new HashSet<>();
    registry.getMeters().forEach(meter -> ids.add(meter.getId()));
    return ids;
  }

  private void send(CourierConnection connection, List<JsonObject> bodies) throws Exception {
    List<Future<JsonObject>> sent = new ArrayList<>();
    for (JsonObject body : bodies) {
      sent.add(connection.request(Command.C2C, body));
    }
    assertAllAccepted(sent);
  }

  private static void assertAllAccepted(List<Future<JsonObject>> requests) throws Exception {
    Future.all(requests).await(TestSession.WAIT_SECONDS, TimeUnit.SECONDS);
    for (Future<JsonObject> request : requests) {
      assertEquals(0, request.result().getInteger("code"), request.result().encode());
    }
    requests.clear();
  }

  private static JsonObject c2c(int msgtype, String cmid) {
    return new JsonObject()
        .put("to_uid", "spray-bob")
        .put("to_appcode", 101)
        .put("cmid", cmid)
        .put("msgtype", msgtype)
        .put("content", "m");
  }
}
