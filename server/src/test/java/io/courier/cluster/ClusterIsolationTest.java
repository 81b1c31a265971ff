package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.LocalServices;
import io.courier.testkit.RealApps;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An isolated cluster (docs/cluster.md section 11): two Courier nodes with the cluster secret and a
 * business JVM that joins their Hazelcast cluster without it, as docs/event-bus.md section 7 has a
 * JVM business do. The business is served on the business API and refused on every internal address
 * and the operator controls; the nodes' own internal traffic is sealed (every cluster test runs
 * sealed, {@link ClusterNode}). Hazelcast binds the configured interface only.
 */
class ClusterIsolationTest {
  private static final String DATABASE = "courier_isolation_test";
  private static final List<ClusterNode> nodes = new ArrayList<>();
  private static Vertx clientVertx;
  private static CourierClient client;
  private static Tokens tokens;
  private static Vertx business;
  private static HazelcastClusterManager businessManager;
  private static int businessPort;

  @BeforeAll
  static void startCluster() {
    LocalServices.requireMysql();
    clientVertx = Vertx.vertx();
    nodes.addAll(ClusterNode.startOnMysql(clientVertx, "courier-isolation", DATABASE, 2));
    client = new CourierClient(clientVertx);
    tokens = new Tokens(clientVertx);
    businessPort = ClusterNode.memberPorts(1).get(0);
    businessManager = clusterManager(businessPort);
    business = join(businessManager);
  }

  @AfterAll
  static void stopCluster() {
    if (business != null) {
      business.close().await();
    }
    if (client != null) {
      client.close().await();
    }
    ClusterNode.stopAll(nodes);
    if (clientVertx != null) {
      clientVertx.close().await();
    }
  }

  /**
   * A plain clustered Vert.x in the nodes' cluster, configured like a Courier node but without the
   * cluster secret and without {@code cluster.host} (so on loopback by default).
   */
  private static HazelcastClusterManager clusterManager(int port) {
    JsonObject cluster = nodes.get(0).config.getJsonObject("cluster").copy();
    cluster.remove("secret");
    cluster.remove("host");
    cluster.put("port", port);
    return HazelcastSetup.clusterManager(
        CourierConfig.from(new JsonObject().put("cluster", cluster)));
  }

  private static Vertx join(HazelcastClusterManager manager) {
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(new EventBusOptions()))
            .withClusterManager(manager)
            .buildClustered()
            .await();
    assertTrue(manager.getNodes().size() > nodes.size(), "joined the nodes");
    return vertx;
  }

  @Test
  void aBusinessMemberIsRefusedOnEveryInternalAddressAndTheOperatorControls() {
    double before = refused("missing");
    ClusterNode node = nodes.get(1);
    String[] addresses = {
      Addresses.LOGIN,
      Addresses.C2C,
      Addresses.PULL,
      Addresses.gate(node.node.node()),
      Addresses.ops(node.node.node()),
      Addresses.ADMIN_KICK,
      Addresses.ADMIN_BAN,
    };
    for (String address : addresses) {
      ReplyException refused =
          failureOf(
              business
                  .eventBus()
                  .request(
                      address,
                      new JsonObject().put("uid", "mallory").put("op", "arrival"),
                      timeout()));
      assertEquals(ReplyFailure.RECIPIENT_FAILURE, refused.failureType(), address);
      assertEquals(InternalAddressGuard.REFUSED_CODE, refused.failureCode(), address);
    }
    business.eventBus().publish(Addresses.BANS_CHANGED, new JsonObject());
    awaitCondition(
        () -> refused("missing") >= before + addresses.length + nodes.size(),
        "every refusal counted, the publish once on each node");
  }

  /**
   * A member may register a consumer on an internal address (Hazelcast does not stop it) and so
   * receive a share of the requests sent there; its unsealed answer is dropped, and the request
   * times out instead of taking it (a gate would take any answer to a LOGIN as a success).
   */
  @Test
  void anAnswerFromABusinessMembersConsumerOnAnInternalAddressIsDropped() {
    String address = Addresses.ops("rogue-" + UUID.randomUUID());
    MessageConsumer<JsonObject> rogue =
        business
            .eventBus()
            .consumer(
                address,
                message ->
                    message.reply(new JsonObject().put("steps", new JsonArray().add("forged"))));
    rogue.completion().await();
    double before = refused("missing");
    ReplyException failure;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      failure =
          failureOf(
              nodes
                  .get(0)
                  .vertx
                  .eventBus()
                  .request(
                      address,
                      new JsonObject().put("op", "trace").put("logid", "x"),
                      new DeliveryOptions().setSendTimeout(1_000)));
    } while (failure.failureType() == ReplyFailure.NO_HANDLERS && System.nanoTime() < deadline);
    assertEquals(ReplyFailure.TIMEOUT, failure.failureType(), failure.getMessage());
    assertTrue(refused("missing") > before, "the unsealed reply counted");
    rogue.unregister().await();
  }

  @Test
  void aSealForAnotherBodyOrTooOldIsRefused() {
    MessageSeal seal = new MessageSeal(ClusterNode.CLUSTER_SECRET, System::currentTimeMillis);
    String login = Addresses.LOGIN;
    JsonObject seen = new JsonObject().put("token", "a-real-login");
    String forOther = seal.seal(login, null, seen);
    double forged = refused("forged");

    business
        .eventBus()
        .send(
            login,
            new JsonObject().put("token", "forged"),
            new DeliveryOptions().addHeader(MessageSeal.HEADER, forOther));

    awaitCondition(() -> refused("forged") > forged, "the forged seal counted");
    MessageSeal late =
        new MessageSeal(
            ClusterNode.CLUSTER_SECRET,
            () -> System.currentTimeMillis() - 2 * MessageSeal.MAX_SKEW_MS);
    ReplyException stale =
        failureOf(
            business
                .eventBus()
                .request(
                    login,
                    seen,
                    timeout().addHeader(MessageSeal.HEADER, late.seal(login, null, seen))));
    assertEquals(InternalAddressGuard.REFUSED_CODE, stale.failureCode());
  }

  @Test
  void aMemberWithAnotherSecretIsRefused() {
    Vertx other = null;
    try {
      other = join(clusterManager(ClusterNode.memberPorts(1).get(0)));
      InternalAddressGuard.install(
          other,
          CourierConfig.from(
              new JsonObject()
                  .put(
                      "cluster",
                      new JsonObject().put("secret", "another-secret-0123456789abcdef-xyz"))),
          new SimpleMeterRegistry());
      ReplyException refused =
          failureOf(other.eventBus().request(Addresses.LOGIN, new JsonObject(), timeout()));
      assertEquals(InternalAddressGuard.REFUSED_CODE, refused.failureCode());
      assertTrue(refused.getMessage().contains("FORGED"), refused.getMessage());
    } finally {
      if (other != null) {
        other.close().await();
      }
    }
  }

  @Test
  void aBusinessMemberUsesTheBusinessApi() {
    TestSession alice =
        TestSession.login(client, nodes.get(0).gatePort(), tokens, "iso-alice", 101, true);
    JsonObject pushed =
        business
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", "iso-alice")
                    .put("to_appcode", 101)
                    .put("msgtype", 1)
                    .put("content", "from a business member"),
                timeout())
            .await()
            .body();
    assertEquals("pushed", pushed.getString("status"), pushed.encode());
    assertEquals(pushed.getString("msgid"), alice.nextPush().getString("msgid"));

    JsonObject presence =
        business
            .eventBus()
            .<JsonObject>request(Addresses.PRESENCE, new JsonObject().put("uid", "iso-alice"))
            .await()
            .body();
    assertEquals(
        new JsonArray().add(101),
        new JsonArray(
            presence.getJsonArray("sessions").stream()
                .map(session -> ((JsonObject) session).getInteger("appcode"))
                .toList()));

    MessageConsumer<JsonObject> consumer =
        business
            .eventBus()
            .consumer(
                Addresses.c2s(101, 77), message -> message.reply(new JsonObject().put("code", 0)));
    consumer.completion().await();
    awaitCondition(
        () ->
            alice
                    .connection()
                    .request(Command.C2S, new JsonObject().put("msgtype", 77).put("content", "hi"))
                    .await()
                    .getInteger("code")
                == 0,
        "a C2S message reaches the business member's consumer");
    consumer.unregister().await();
  }

  @Test
  void nodesAnswerEachOthersInternalRequests() {
    double refusedBefore = refused("missing") + refused("forged") + refused("stale");
    JsonObject answer =
        nodes
            .get(0)
            .vertx
            .eventBus()
            .<JsonObject>request(
                Addresses.ops(nodes.get(1).node.node()),
                new JsonObject().put("op", "trace").put("logid", "no-such-message"),
                timeout())
            .await()
            .body();
    assertEquals(new JsonArray(), answer.getJsonArray("steps"));
    assertEquals(
        refusedBefore, refused("missing") + refused("forged") + refused("stale"), "none dropped");
  }

  @Test
  void hazelcastListensOnTheConfiguredInterfaceOnly() {
    int member = nodes.get(0).config.getJsonObject("cluster").getInteger("port");
    assertTrue(accepts("127.0.0.1", member));
    assertFalse(accepts("127.0.0.2", member), "not on every interface");
    assertTrue(accepts("127.0.0.1", businessPort), "unset cluster.host: loopback");
    assertFalse(accepts("127.0.0.2", businessPort));
    NodeInfo eventBus = businessManager.getNodeInfo();
    assertEquals("127.0.0.1", eventBus.host(), "the event bus takes Hazelcast's host");
    assertFalse(accepts("127.0.0.2", eventBus.port()));
  }

  @Test
  void withoutTheSecretOnlyALoopbackClusterStarts() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    assertNull(
        InternalAddressGuard.install(business, CourierConfig.from(new JsonObject()), registry),
        "unset host: loopback, unguarded with a warning");
    String message =
        assertThrows(
                ConfigException.class,
                () ->
                    InternalAddressGuard.install(
                        business,
                        CourierConfig.from(
                            new JsonObject()
                                .put("apps", RealApps.json())
                                .put("cluster", new JsonObject().put("host", "10.1.2.3"))),
                        registry))
            .getMessage();
    assertTrue(
        message.startsWith(
            "invalid configuration: cluster.secret (environment COURIER_CLUSTER_SECRET) must be"
                + " set on a clustered node whose cluster.host is not a loopback address"),
        message);
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Drops counted on every node for {@code reason}. */
  private static double refused(String reason) {
    double total = 0;
    for (ClusterNode node : nodes) {
      Counter counter =
          node.registry.find(InternalAddressGuard.REFUSED_METER).tag("reason", reason).counter();
      total += counter == null ? 0 : counter.count();
    }
    return total;
  }

  private static DeliveryOptions timeout() {
    return new DeliveryOptions().setSendTimeout(5_000);
  }

  private static ReplyException failureOf(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
