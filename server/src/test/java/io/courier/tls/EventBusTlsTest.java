package io.courier.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.cluster.HazelcastSetup;
import io.courier.config.CourierConfig;
import io.courier.testkit.FreePorts;
import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.PemPair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered event bus with {@code cluster.tlsCert}: two nodes with certificates of the cluster
 * CA talk over TLS; a member of the same Hazelcast cluster whose event bus is plain, or whose
 * certificate another CA signed, gets no answer from them.
 */
class EventBusTlsTest {
  private static final String ADDRESS = "courier.test.tls-echo";
  private static final long REFUSED_TIMEOUT_MS = 2_000;

  @TempDir static Path dir;
  private static final List<Vertx> members = new ArrayList<>();
  private static Vertx first;
  private static Vertx second;
  private static Vertx plain;
  private static Vertx foreign;

  @BeforeAll
  static void start() {
    TestPki.Ca cluster = TestPki.newCa("cluster CA");
    Path caFile = cluster.writeCert(dir.resolve("cluster-ca.crt"));
    TestPki.Ca other = TestPki.newCa("other CA");
    Path otherCa = other.writeCert(dir.resolve("other-ca.crt"));
    String name = "tls-" + UUID.randomUUID();
    List<Integer> ports =
        List.of(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());
    first = member(name, ports, 0, cluster.server("node-1").write(dir, "node-1"), caFile);
    second = member(name, ports, 1, cluster.server("node-2").write(dir, "node-2"), caFile);
    plain = member(name, ports, 2, null, null);
    foreign = member(name, ports, 3, other.server("intruder").write(dir, "intruder"), otherCa);
    second
        .eventBus()
        .<String>consumer(ADDRESS, message -> message.reply("echo " + message.body()))
        .completion()
        .await();
  }

  @AfterAll
  static void stop() {
    for (Vertx member : members) {
      member.close().await();
    }
  }

  @Test
  void nodesWithCertificatesOfTheClusterCaTalkOverTls() {
    assertEquals("echo hello", request(first, "hello", 5_000).await());
  }

  @Test
  void aPlainEventBusOrAForeignCertificateGetsNoAnswer() {
    request(first, "warm", 5_000).await();
    assertThrows(Exception.class, () -> request(plain, "sniff", REFUSED_TIMEOUT_MS).await());
    assertThrows(Exception.class, () -> request(foreign, "forge", REFUSED_TIMEOUT_MS).await());
  }

  /**
   * A request to {@link #ADDRESS}; asks again on NO_HANDLERS, which a just-joined member may see
   * for a moment, until {@code timeoutMs} is spent.
   */
  private static Future<String> request(Vertx from, String body, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    return from.eventBus()
        .<String>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(message -> message.body())
        .recover(
            failure ->
                failure.getMessage() != null
                        && failure.getMessage().contains("No handlers")
                        && System.currentTimeMillis() + 100 < deadline
                    ? retryLater(from, body, deadline - System.currentTimeMillis())
                    : Future.failedFuture(failure));
  }

  private static Future<String> retryLater(Vertx from, String body, long remainingMs) {
    return from.timer(100).compose(v -> request(from, body, remainingMs));
  }

  private static Vertx member(
      String name, List<Integer> ports, int index, PemPair files, Path caFile) {
    JsonObject cluster =
        new JsonObject()
            .put("name", name)
            .put("host", "127.0.0.1")
            .put("port", ports.get(index))
            .put("members", new JsonArray(ports.stream().map(p -> "127.0.0.1:" + p).toList()))
            .put("joinWaitSeconds", 0);
    if (files != null) {
      cluster
          .put("tlsCert", files.cert().toString())
          .put("tlsKey", files.key().toString())
          .put("tlsCa", caFile.toString());
    }
    CourierConfig config = CourierConfig.from(new JsonObject().put("cluster", cluster));
    EventBusOptions eventBus = new EventBusOptions().setHost("127.0.0.1");
    if (config.clusterTls() != null) {
      EventBusTls.enable(eventBus, config.clusterTls());
    }
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(eventBus))
            .withClusterManager(HazelcastSetup.clusterManager(config))
            .buildClustered()
            .await();
    members.add(vertx);
    return vertx;
  }
}
