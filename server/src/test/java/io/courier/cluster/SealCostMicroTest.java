package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.OperatingSystemMXBean;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sealing internal addresses costs ({@link InternalAddressGuard}, {@link MessageSeal}): the
 * seal and check of typical internal bodies on one thread, and request/reply between two clustered
 * Vert.x instances with the guard on and off, to an internal address and to a business one. It logs
 * the times for the reader (docs/cluster.md section 11) and asserts only that every request was
 * answered: speed is no unit test's business.
 */
class SealCostMicroTest {
  private static final Logger LOG = LoggerFactory.getLogger(SealCostMicroTest.class);
  private static final String SECRET = "seal-cost-secret-0123456789abcdef-xyz";
  private static final String INTERNAL = "courier.internal.seal-cost";
  private static final int REQUESTS = 20_000;
  private static final int IN_FLIGHT = 64;
  private static final int ROUNDS = 3;

  private static Vertx sender;
  private static Vertx receiver;
  private static CourierConfig config;

  @BeforeAll
  static void startTwoMembers() {
    String name = "seal-cost-" + UUID.randomUUID();
    List<Integer> ports = ClusterNode.memberPorts(2);
    JsonArray members = new JsonArray();
    ports.forEach(port -> members.add("127.0.0.1:" + port));
    config = configFor(name, ports.get(0), members);
    sender = member(config);
    receiver = member(configFor(name, ports.get(1), members));
    for (String address : List.of(INTERNAL, Addresses.S2C)) {
      receiver
          .eventBus()
          .<JsonObject>consumer(
              address,
              message ->
                  message.reply(new JsonObject().put("code", message.body().size() > 0 ? 0 : 400)))
          .completion()
          .await();
    }
  }

  @AfterAll
  static void stopMembers() {
    if (sender != null) {
      sender.close().await();
    }
    if (receiver != null) {
      receiver.close().await();
    }
  }

  private static CourierConfig configFor(String name, int port, JsonArray members) {
    return CourierConfig.from(
        new JsonObject()
            .put(
                "cluster",
                new JsonObject()
                    .put("name", name)
                    .put("port", port)
                    .put("members", members)
                    .put("joinWaitSeconds", 0)
                    .put("secret", SECRET)));
  }

  private static Vertx member(CourierConfig config) {
    HazelcastClusterManager manager = HazelcastSetup.clusterManager(config);
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(manager)
        .buildClustered()
        .await();
  }

  /** A login request and a push batch of 1 and of 50 messages, as the nodes send them. */
  @Test
  void sealAndCheckOnOneThread() {
    MessageSeal seal = new MessageSeal(SECRET, System::currentTimeMillis);
    JsonObject login =
        new JsonObject()
            .put("uid", "driver-17")
            .put("appcode", 201)
            .put("token", "eyJhbGciOiJIUzI1NiJ9." + "x".repeat(120) + "." + "y".repeat(43))
            .put(
                "session", new JsonObject().put("node", UUID.randomUUID().toString()).put("id", 7));
    for (int items : new int[] {0, 1, 50}) {
      JsonObject body = items == 0 ? login : pushBatch(items);
      int bytes = body.toBuffer().length();
      int rounds = items == 50 ? 5_000 : 50_000;
      measure(seal, body, rounds);
      long[] nanos = measure(seal, body, rounds);
      LOG.info(
          "seal of a {}-byte body: {} ns CPU, check (JSON encoding of the decoded body"
              + " included): {} ns CPU",
          bytes,
          nanos[0] / rounds,
          nanos[1] / rounds);
    }
  }

  /** CPU time of this thread for sealing and for checking, in ns: others share the machine. */
  private static long[] measure(MessageSeal seal, JsonObject body, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String header = null;
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < rounds; i++) {
      header = seal.seal(INTERNAL, "__vertx.reply." + i, body);
    }
    long sealed = threads.getCurrentThreadCpuTime() - start;
    start = threads.getCurrentThreadCpuTime();
    int valid = 0;
    for (int i = 0; i < rounds; i++) {
      if (seal.verify(INTERNAL, "__vertx.reply." + (rounds - 1), body, header)
          == MessageSeal.Verdict.VALID) {
        valid++;
      }
    }
    long checked = threads.getCurrentThreadCpuTime() - start;
    assertEquals(rounds, valid);
    return new long[] {sealed, checked};
  }

  private static JsonObject pushBatch(int items) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < items; i++) {
      batch.add(
          new JsonObject()
              .put("session", "sess-" + i)
              .put("qos", 1)
              .put(
                  "message",
                  new JsonObject()
                      .put("msgid", Long.toString(132271570944012293L + i))
                      .put("to_uid", "driver-" + i)
                      .put("to_appcode", 201)
                      .put("from_uid", "")
                      .put("from_appcode", 0)
                      .put("msgtype", 9)
                      .put("content", "{\"order\":42,\"pickup\":\"31.2,121.5\"}")
                      .put("senddate", 1767225600123L)
                      .put("logid", "order-42-trace")));
    }
    return new JsonObject().put("op", "push").put("items", batch);
  }

  /**
   * Alternates rounds without and with the guard on both members, to an internal and to a business
   * address, after a warm-up of each; reports the median of each.
   */
  @Test
  void requestReplyBetweenTwoMembers() {
    JsonObject body = pushBatch(1);
    Map<String, List<long[]>> runs = new LinkedHashMap<>();
    for (int round = -1; round < ROUNDS; round++) {
      for (boolean guarded : new boolean[] {false, true}) {
        List<InternalAddressGuard> guards =
            guarded
                ? List.of(
                    InternalAddressGuard.install(sender, config, new SimpleMeterRegistry()),
                    InternalAddressGuard.install(receiver, config, new SimpleMeterRegistry()))
                : List.of();
        for (String address : List.of(INTERNAL, Addresses.S2C)) {
          long[] run = run(address, body);
          if (round >= 0) {
            runs.computeIfAbsent(address + (guarded ? " on" : " off"), k -> new ArrayList<>())
                .add(run);
          }
        }
        guards.forEach(InternalAddressGuard::remove);
      }
    }
    StringBuilder medians = new StringBuilder();
    runs.forEach(
        (name, measured) ->
            medians.append(
                String.format(
                    "%n  %s: %d ms, CPU %.1f µs/request",
                    name,
                    median(measured, 0) / 1_000_000,
                    median(measured, 1) / 1_000.0 / REQUESTS)));
    LOG.info(
        "{} requests, {} in flight, between two clustered members on loopback, median of {}"
            + " rounds (load average {}):{}",
        REQUESTS,
        IN_FLIGHT,
        ROUNDS,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        medians);
  }

  private static long median(List<long[]> runs, int index) {
    return runs.stream().mapToLong(run -> run[index]).sorted().toArray()[runs.size() / 2];
  }

  /**
   * Wall-clock and process CPU nanoseconds (both members, as they share this JVM) for {@link
   * #REQUESTS} requests to {@code address}, {@link #IN_FLIGHT} at once.
   */
  private static long[] run(String address, JsonObject body) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    Promise<Void> done = Promise.promise();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
    long start = System.nanoTime();
    sender
        .getOrCreateContext()
        .runOnContext(
            v -> {
              for (int i = 0; i < IN_FLIGHT; i++) {
                next(address, body, options, sent, answered, done);
              }
            });
    done.future().await();
    long elapsed = System.nanoTime() - start;
    assertEquals(REQUESTS, answered.get());
    return new long[] {elapsed, os.getProcessCpuTime() - cpu};
  }

  private static void next(
      String address,
      JsonObject body,
      DeliveryOptions options,
      AtomicInteger sent,
      AtomicInteger answered,
      Promise<Void> done) {
    if (sent.incrementAndGet() > REQUESTS) {
      return;
    }
    Future<?> reply = sender.eventBus().request(address, body, options);
    reply.onComplete(
        result -> {
          if (result.failed()) {
            done.tryFail(result.cause());
          } else if (answered.incrementAndGet() == REQUESTS) {
            done.tryComplete();
          } else {
            next(address, body, options, sent, answered, done);
          }
        });
  }
}
