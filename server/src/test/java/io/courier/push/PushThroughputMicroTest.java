package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.config.MetricMsgtypes;
import io.courier.config.PushRules;
import io.courier.contract.Receipts;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.courier.protocol.body.PushProvider;
import io.courier.testkit.fakes.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications per second the push role sends through each provider to a local server: intake,
 * dispatcher, lane (200 in flight, no rate limit in the way) and the real sender, the registry in
 * memory. Logged, not asserted (docs/push.md quotes it); it asserts only that every notification
 * was accepted.
 */
class PushThroughputMicroTest {
  private static final Logger LOG = LoggerFactory.getLogger(PushThroughputMicroTest.class);
  private static final int NOTIFICATIONS = 3_000;
  private static final int CONCURRENCY = 200;

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void apns() throws Exception {
    KeyPair teamKey = JwtTest.ecKey();
    try (FakeProvider apns = FakeProvider.apns(vertx, teamKey)) {
      HttpClient client = ProviderClients.http2(vertx, CONCURRENCY, apns.caFile(), 30_000);
      ApnsToken token =
          new ApnsToken(
              Jwt.privateKey(JwtTest.pem(teamKey), "EC"), "K", "T", System::currentTimeMillis);
      measure(
          "apns",
          PushProvider.APNS,
          new ApnsSender(
              client, apns.url(), token, "com.example", 3600, 30_000, System::currentTimeMillis));
      client.close().await();
    }
  }

  @Test
  void fcm() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair key = rsa.generateKeyPair();
    try (FakeProvider fcm = FakeProvider.fcm(vertx, key)) {
      HttpClient client = ProviderClients.http2(vertx, CONCURRENCY, fcm.caFile(), 30_000);
      ServiceAccount account = ServiceAccount.fromJson(FcmSenderTest.serviceAccount(fcm, key));
      measure(
          "fcm",
          PushProvider.FCM,
          new FcmSender(
              client,
              fcm.url(),
              account.projectId(),
              new FcmAccessToken(client, account, System::currentTimeMillis, 30_000),
              3600,
              30_000));
      client.close().await();
    }
  }

  @Test
  void webhook() throws Exception {
    try (FakeProvider hook = FakeProvider.webhook(vertx, WebhookSenderTest.SECRET)) {
      HttpClient client = ProviderClients.http1(vertx, 32, null, 30_000);
      measure(
          "webhook",
          PushProvider.WEBHOOK,
          new WebhookSender(
              client, hook.url(), WebhookSenderTest.SECRET, 30_000, System::currentTimeMillis));
      client.close().await();
    }
  }

  private void measure(String name, PushProvider provider, NotificationSender sender)
      throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Tracker tracker =
        new Tracker(
            "node-1",
            meters,
            new TraceStore(10_000, 60_000),
            new ArrivalStats(),
            new DeliveryLabels(Set.of(101), MetricMsgtypes.none()),
            new Receipts(vertx.eventBus()),
            NotifiedMarks.inMemory(),
            System::currentTimeMillis);
    InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    for (int i = 0; i < NOTIFICATIONS; i++) {
      registry.register(PushFixtures.device("tp-" + i, provider, "tok" + i));
    }
    Intake intake = new Intake(new WakeRules(PushRules.allWake()), 2 * NOTIFICATIONS, tracker);
    Context context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    Scheduler scheduler = (delayMs, task) -> vertx.setTimer(delayMs, id -> task.run());
    Dispatcher dispatcher =
        new Dispatcher(
            intake,
            new Collapser(false),
            registry,
            scheduler,
            tracker,
            "New message",
            NOTIFICATIONS,
            0);
    context.runOnContext(
        v -> {
          dispatcher.addLane(
              new Lane(
                  provider,
                  sender,
                  CONCURRENCY,
                  new RateLimit(1_000_000, System.nanoTime()),
                  new Backoff(100, () -> 0.5),
                  3,
                  60_000,
                  scheduler,
                  System::nanoTime,
                  dispatcher));
          intake.drainWith(() -> context.runOnContext(run -> dispatcher.drain()));
          started.complete();
        });
    started.future().await();
    // a first round opens the connections, fetches FCM's access token and warms the code
    send(intake, 0);
    PushNodes.waitUntil(name + " warm", () -> done(meters) >= NOTIFICATIONS);

    long start = System.nanoTime();
    send(intake, NOTIFICATIONS);
    PushNodes.waitUntil(name + " all done", () -> done(meters) >= 2 * NOTIFICATIONS);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertEquals(2 * NOTIFICATIONS, (long) sent(meters), meters.getMetersAsString());
    String line =
        String.format(
            "push throughput %s: %d notifications in %.2f s = %.0f/s (%d in flight)",
            name, NOTIFICATIONS, seconds, NOTIFICATIONS / seconds, CONCURRENCY);
    LOG.info(line);
    System.out.println(line);
  }

  /** One trigger for each registered receiver, msgids from {@code first}. */
  private static void send(Intake intake, int first) {
    for (int i = 0; i < NOTIFICATIONS; i++) {
      intake.stored(PushFixtures.message(first + i + 1, "tp-" + i));
    }
  }

  private static double done(SimpleMeterRegistry meters) {
    return Search.in(meters).name("courier.push.notifications").counters().stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  private static double sent(SimpleMeterRegistry meters) {
    return Search.in(meters)
        .name("courier.push.notifications")
        .tags("result", "sent")
        .counters()
        .stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }
}
