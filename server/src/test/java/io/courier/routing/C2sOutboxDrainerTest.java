package io.courier.routing;

import static io.courier.testkit.fakes.RequestBodies.c2s;
import static io.courier.testkit.fakes.RequestBodies.from;
import static io.courier.testkit.fakes.RequestBodies.sender;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.MetricMsgtypes;
import io.courier.contract.Addresses;
import io.courier.contract.Receipts;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.courier.protocol.body.C2sAnswer;
import io.courier.protocol.body.Receipt;
import io.courier.protocol.body.Step;
import io.courier.store.C2sOutbox;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.RoutingFixture;
import io.courier.testkit.fakes.ScriptedBusinessConsumers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drainer of the C2S outbox (event-bus.md 6): stored qos-1 C2S reach the first consumer that
 * appears, in order per queue, each taken by one drainer of several, with a receipt.
 */
class C2sOutboxDrainerTest {
  private static final String ADDRESS = "courier.c2s.201.7";
  private static final Duration RETRY_MAX = Duration.ofMillis(1_600);
  private static Vertx vertx;
  private RoutingFixture flows;
  private ScriptedBusinessConsumers business;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void wire() {
    flows = new RoutingFixture(vertx);
    business = new ScriptedBusinessConsumers();
  }

  private C2sOutboxDrainer drainer() {
    return new C2sOutboxDrainer(
        flows.c2sOutbox(),
        business,
        new Tracker(
            "node-b",
            new SimpleMeterRegistry(),
            new TraceStore(100, 60_000),
            new ArrivalStats(),
            new DeliveryLabels(Set.of(), MetricMsgtypes.none()),
            new Receipts(vertx.eventBus()),
            NotifiedMarks.inMemory(),
            flows.clock()),
        new Receipts(vertx.eventBus()),
        new C2sOutboxMeter(flows.registry()),
        Duration.ofSeconds(5),
        RETRY_MAX);
  }

  @Test
  void storedMessagesReachTheFirstConsumerInOrderPerSenderWithAReceiptEach() throws Exception {
    List<Long> stored = new ArrayList<>();
    for (String content : List.of("one", "two", "three")) {
      stored.add(storeFrom("driver-1", content));
    }
    long otherSender = storeFrom("driver-2", "other");
    List<Receipt> receipts = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> listener =
        vertx
            .eventBus()
            .consumer(Addresses.RECEIPTS, message -> receipts.add(receipt(message.body())));
    listener.completion().await();
    C2sOutboxDrainer drainer = drainer();

    assertTrue(Await.result(drainer.round(now())) > 0, "no consumer yet: wait before the next");
    assertEquals(1, business.requests().size(), "an address without consumer is tried once");
    business.replies(ADDRESS, new JsonObject().put("code", 0));
    int rounds = 0;
    while (Await.result(drainer.round(now() + 60_000)) == 0) {
      assertTrue(++rounds < 10, "rounds keep handing over");
    }

    List<Long> handed =
        business.requests().stream()
            .skip(1)
            .filter(request -> request.message().getString("from_uid").equals("driver-1"))
            .map(request -> Long.parseLong(request.message().getString("msgid")))
            .toList();
    assertEquals(stored, handed);
    assertEquals(List.of(), flows.c2sOutbox().waiting());
    assertEquals(
        4.0, flows.registry().get("courier.c2s.outbox").tag("event", "handed").counter().count());
    awaitReceipts(receipts, 4);
    Receipt last =
        receipts.stream().filter(r -> r.msgid() == otherSender).findFirst().orElseThrow();
    assertEquals(new Receipt(otherSender, "driver-2", 201, Step.HANDED, last.ts()), last);
    listener.unregister().await();
  }

  @Test
  void anAddressWithoutConsumerIsTriedAgainAfterAWaitThatDoublesUpToTheMaximum() {
    storeFrom("driver-1", "one");
    C2sOutboxDrainer drainer = drainer();
    long now = now();

    assertEquals(100L, Await.result(drainer.round(now)));
    assertEquals(1, business.requests().size());
    assertEquals(100L, Await.result(drainer.round(now)), "not tried again before its time");
    assertEquals(1, business.requests().size());
    assertEquals(200L, Await.result(drainer.round(now + 100)));
    assertEquals(400L, Await.result(drainer.round(now + 300)));
    assertEquals(800L, Await.result(drainer.round(now + 700)));
    assertEquals(1_600L, Await.result(drainer.round(now + 1_500)));
    assertEquals(1_600L, Await.result(drainer.round(now + 3_100)), "at most the maximum");
    assertEquals(6, business.requests().size());
    assertEquals(1, flows.c2sOutbox().waiting().size());
  }

  @Test
  void twoDrainersOnOneOutboxHandEachMessageOverOnce() {
    storeFrom("driver-1", "one");
    business.replies(ADDRESS, new JsonObject().put("code", 0));
    C2sOutboxDrainer first = drainer();
    C2sOutboxDrainer second = drainer();

    Await.result(io.vertx.core.Future.all(first.round(now()), second.round(now())));

    assertEquals(1, business.requests().size());
    assertEquals(List.of(), flows.c2sOutbox().waiting());
  }

  @Test
  void aClaimOfADrainerThatDiedIsTakenOverOnceItsLeaseEndedWithTheSameMsgid() {
    long msgid = storeFrom("driver-1", "one");
    C2sOutbox.Waiting head = Await.result(flows.c2sOutbox().heads(10, now())).get(0);
    long lease = 2 * 5_000 + C2sOutboxDrainer.LEASE_MARGIN_MS;
    assertTrue(Await.result(flows.c2sOutbox().claim(head, now(), now() + lease)), "the dead one's");
    business.replies(ADDRESS, new JsonObject().put("code", 0));
    C2sOutboxDrainer survivor = drainer();

    Await.result(survivor.round(now() + lease));
    assertEquals(List.of(), business.requests(), "not while the lease runs");
    Await.result(survivor.round(now() + lease + 1));

    assertEquals(
        List.of(Long.toString(msgid)),
        business.requests().stream().map(request -> request.message().getString("msgid")).toList());
    assertEquals(List.of(), flows.c2sOutbox().waiting());
  }

  @Test
  void aMessageTheBusinessRefusesLeavesItsQueueAndTheNextGoesOn() {
    storeFrom("driver-1", "bad");
    long good = storeFrom("driver-1", "good");
    business.replies(ADDRESS, new JsonObject().put("code", 400));
    C2sOutboxDrainer drainer = drainer();

    assertEquals(0L, Await.result(drainer.round(now())));
    business.replies(ADDRESS, new JsonObject().put("code", 0));
    Await.result(drainer.round(now()));

    assertEquals(Long.toString(good), business.requests().get(1).message().getString("msgid"));
    assertEquals(List.of(), flows.c2sOutbox().waiting());
    assertEquals(
        1.0, flows.registry().get("courier.c2s.outbox").tag("event", "dropped").counter().count());
  }

  @Test
  void theRetentionPurgeDeletesOldMessagesAndCountsThem() {
    storeFrom("driver-1", "old");
    C2sOutboxDrainer drainer = drainer();

    assertEquals(1, Await.result(drainer.purge(now() + 1)));
    assertEquals(List.of(), flows.c2sOutbox().waiting());
    assertEquals(
        1.0, flows.registry().get("courier.c2s.outbox").tag("event", "purged").counter().count());
  }

  private long now() {
    return flows.clock().getAsLong();
  }

  /** Stores a qos-1 C2S of {@code uid} through routing, with no consumer there. */
  private long storeFrom(String uid, String content) {
    try {
      C2sAnswer answer =
          C2sAnswer.fromJson(
              Await.result(
                  flows.routing().c2s(from(sender(uid, 201), c2s(7, content).put("qos", 1)))));
      assertEquals(Step.STORED, answer.status());
      return answer.msgid();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Receipt receipt(JsonObject json) {
    try {
      return Receipt.fromJson(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitReceipts(List<Receipt> receipts, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (receipts.size() < count) {
      assertTrue(System.nanoTime() < deadline, "receipts: " + receipts);
      Thread.sleep(5);
    }
  }
}
