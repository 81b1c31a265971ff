package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.store.Shards;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * C2S that is not lost (event-bus.md 6), end to end with the Java client, on two clustered nodes
 * and two MySQL shards: qos-1 C2S sent while no business consumer exists are stored, answered 0
 * {@code stored}, and handed in order per sender, each once, with a {@code handed} receipt, to the
 * consumer that registers later on the other node; resends with the same cmid carry the same msgid
 * and make no second message.
 */
class C2sOutboxClusterTest {
  private static final List<String> SHARDS =
      List.of("courier_c2s_cluster_0", "courier_c2s_cluster_1");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static Vertx clientVertx;
  private static CourierClient client;
  private static Tokens tokens;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<TestSession> sessions = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    LocalServices.requireMysql();
    clientVertx = Vertx.vertx();
    MySqlDatabases.recreate(clientVertx, SHARDS);
    JsonArray shards = new JsonArray();
    SHARDS.forEach(db -> shards.add(MySqlDatabases.uri(db)));
    JsonObject store = new JsonObject().put("backend", "mysql").put("mysqlShards", shards);
    String clusterName = "courier-c2s-" + UUID.randomUUID();
    List<Integer> ports = ClusterNode.memberPorts(2);
    for (int port : ports) {
      nodes.add(ClusterNode.start(clusterName, port, ports, store));
    }
    client = new CourierClient(clientVertx);
    tokens = new Tokens(clientVertx);
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close().await();
    }
    ClusterNode.stopAll(nodes);
    if (clientVertx != null) {
      clientVertx.close().await();
    }
  }

  @AfterEach
  void closeSessions() {
    sessions.forEach(session -> session.connection().close());
    consumers.forEach(consumer -> consumer.unregister().await());
  }

  @Test
  void qos1C2sWaitsForTheFirstConsumerAnywhereAndReachesItInOrderOncePerSender() {
    String first = uidOnShard(0, "c2s-driver-a");
    String second = uidOnShard(1, "c2s-driver-b");
    TestSession driverA = login(0, first);
    TestSession driverB = login(0, second);
    List<JsonObject> receipts = new CopyOnWriteArrayList<>();
    consumers.add(
        nodes
            .get(0)
            .vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.RECEIPTS, message -> receipts.add(message.body())));
    consumers.get(0).completion().await();

    List<String> sentA = new ArrayList<>();
    for (String cmid : List.of("accept-1", "arrive-1", "deliver-1")) {
      JsonObject answer = c2s(driverA, 1, cmid);
      assertEquals(0, answer.getInteger("code"), answer.encode());
      assertEquals("stored", answer.getString("status"), answer.encode());
      sentA.add(answer.getString("msgid"));
    }
    JsonObject resend = c2s(driverA, 1, "arrive-1");
    assertEquals("stored", resend.getString("status"), resend.encode());
    assertEquals(sentA.get(1), resend.getString("msgid"), "a resend carries the first msgid");
    String sentB = c2s(driverB, 1, "accept-2").getString("msgid");

    List<JsonObject> handed = new CopyOnWriteArrayList<>();
    consumers.add(
        nodes
            .get(1)
            .vertx
            .eventBus()
            .<JsonObject>consumer(
                "courier.c2s.201.21",
                message -> {
                  handed.add(message.body());
                  message.reply(new JsonObject().put("code", 0));
                }));
    consumers.get(1).completion().await();
    awaitTrue(() -> handed.size() >= 4, "the stored messages reach the consumer");
    awaitTrue(
        () -> receipts.stream().filter(r -> "handed".equals(r.getString("status"))).count() >= 4,
        "a handed receipt each");

    JsonObject after = c2s(driverA, 1, "later-1");
    assertEquals("handed", after.getString("status"), after.encode());
    sentA.add(after.getString("msgid"));
    awaitTrue(() -> handed.size() >= 5, "the later message");

    assertEquals(sentA, msgidsFrom(handed, first), "driver A's messages in order, each once");
    assertEquals(List.of(sentB), msgidsFrom(handed, second));
    assertEquals(5, handed.size(), "no message twice");
    JsonObject receipt =
        receipts.stream()
            .filter(
                r -> sentB.equals(r.getString("msgid")) && "handed".equals(r.getString("status")))
            .findFirst()
            .orElseThrow();
    assertEquals(second, receipt.getString("to_uid"));
    assertEquals(201, receipt.getInteger("to_appcode"));
  }

  @Test
  void aQos0ResendWithTheSameCmidCarriesTheSameMsgidToTheBusiness() {
    List<JsonObject> handed = new CopyOnWriteArrayList<>();
    consumers.add(
        nodes
            .get(1)
            .vertx
            .eventBus()
            .<JsonObject>consumer(
                "courier.c2s.201.22",
                message -> {
                  handed.add(message.body());
                  message.reply(new JsonObject().put("code", 0));
                }));
    consumers.get(0).completion().await();
    TestSession driver = login(0, "c2s-driver-c");

    JsonObject sent = c2s(driver, 2, "pickup-7");
    JsonObject again = c2s(driver, 2, "pickup-7");
    JsonObject other = c2s(driver, 2, "pickup-8");

    assertEquals("handed", sent.getString("status"), sent.encode());
    assertEquals(sent.getString("msgid"), again.getString("msgid"));
    assertTrue(!sent.getString("msgid").equals(other.getString("msgid")));
    assertEquals(
        List.of(sent.getString("msgid"), sent.getString("msgid"), other.getString("msgid")),
        msgidsFrom(handed, "c2s-driver-c"));
  }

  /** A qos-1 C2S of msgtype 20 + {@code type} with {@code cmid}; type 2 is sent with qos 0. */
  private static JsonObject c2s(TestSession driver, int type, String cmid) {
    JsonObject body =
        new JsonObject().put("msgtype", 20 + type).put("content", cmid).put("cmid", cmid);
    if (type == 1) {
      body.put("qos", 1);
    }
    return driver.request(Command.C2S, body);
  }

  private static List<String> msgidsFrom(List<JsonObject> handed, String uid) {
    return handed.stream()
        .filter(message -> uid.equals(message.getString("from_uid")))
        .map(message -> message.getString("msgid"))
        .toList();
  }

  private TestSession login(int node, String uid) {
    TestSession session =
        TestSession.login(client, nodes.get(node).gatePort(), tokens, uid, 201, true);
    sessions.add(session);
    return session;
  }

  private static String uidOnShard(int shard, String prefix) {
    for (int i = 0; ; i++) {
      String uid = prefix + "-" + i;
      if (Shards.of(uid, SHARDS.size()) == shard) {
        return uid;
      }
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
