package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.config.MetricMsgtypes;
import io.courier.contract.Addresses;
import io.courier.contract.Receipts;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Receipt;
import io.courier.protocol.body.Step;
import io.courier.testkit.fakes.InMemoryMessageStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Offline} on an in-memory store: the {@code pulled} receipts, and what PULL
 * and OFFLINE_ACK read from a client's body.
 */
class OfflineTest {
  private static final long WAIT_SECONDS = 10;
  private static final String BOB = "bob";
  private static final int APP = 102;

  private static Vertx vertx;
  private InMemoryMessageStore store;
  private ReceiptRecorder receipts;
  private Offline offline;
  private long nextMsgid = 1_000;

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
    store = new InMemoryMessageStore();
    receipts = new ReceiptRecorder();
    offline =
        new Offline(
            store,
            new Tracker(
                "node-1",
                new SimpleMeterRegistry(),
                new TraceStore(100, 60_000),
                new ArrivalStats(),
                new DeliveryLabels(Set.of(), MetricMsgtypes.none()),
                new Receipts(vertx.eventBus()),
                NotifiedMarks.inMemory(),
                System::currentTimeMillis));
  }

  @AfterEach
  void unregister() {
    receipts.close();
  }

  @Test
  void repeatedPullsPublishOnePulledReceiptPerMessage() {
    List<String> stored = storeThree();

    for (int i = 0; i < 3; i++) {
      assertEquals(stored, msgids(await(offline.pull(request(new JsonObject())))));
    }

    assertEquals(stored, receipts.pulled());
  }

  @Test
  void pipelinedPullsPublishOnePulledReceiptPerMessage() {
    List<String> stored = storeThree();
    store.holdPulls();
    Future<JsonObject> first = offline.pull(request(new JsonObject()));
    Future<JsonObject> second = offline.pull(request(new JsonObject()));
    store.releasePulls();

    assertEquals(stored, msgids(await(first)));
    assertEquals(stored, msgids(await(second)), "both answers carry the page");
    assertEquals(stored, receipts.pulled());
  }

  @Test
  void aMessageBelowTheCursorThatNoPullGaveIsPulledWithItsReceipt() {
    Message early = s2c(++nextMsgid);
    Message late = s2c(++nextMsgid);
    Message newer = s2c(++nextMsgid);
    store.storeOffline(List.of(early, newer));
    String cursor = Long.toString(newer.msgid());
    assertEquals(
        List.of(Long.toString(early.msgid()), cursor),
        msgids(await(offline.pull(request(new JsonObject())))));
    store.storeOffline(List.of(late));

    assertEquals(
        List.of(Long.toString(late.msgid())),
        msgids(await(offline.pull(request(new JsonObject().put("after", cursor))))));
    assertEquals(
        List.of(Long.toString(early.msgid()), cursor, Long.toString(late.msgid())),
        receipts.pulled());
  }

  @Test
  void offlineAckUptoRemovesWhatPullGave() {
    List<String> stored = storeThree();
    JsonObject uptoLast = new JsonObject().put("upto", stored.get(2));
    assertEquals(0, removed(await(offline.offlineAck(request(uptoLast)))));

    await(offline.pull(request(new JsonObject().put("limit", 2))));

    assertEquals(2, removed(await(offline.offlineAck(request(uptoLast)))));
    assertEquals(stored.subList(2, 3), msgids(await(offline.pull(request(new JsonObject())))));
  }

  @Test
  void offlineAckMsgidsRemovesExactlyThose() {
    List<String> stored = storeThree();

    JsonObject ack =
        new JsonObject().put("msgids", new JsonArray().add(stored.get(0)).add(stored.get(2)));
    assertEquals(2, removed(await(offline.offlineAck(request(ack)))));
    assertEquals(0, removed(await(offline.offlineAck(request(ack)))));

    assertEquals(stored.subList(1, 2), msgids(await(offline.pull(request(new JsonObject())))));
  }

  @Test
  void offlineAckRefusesABodyWithoutExactlyOneValidForm() {
    JsonArray tooMany = new JsonArray();
    for (int i = 1; i <= Offline.MAX_ACK_MSGIDS + 1; i++) {
      tooMany.add(Long.toString(i));
    }
    List<JsonObject> refused =
        List.of(
            new JsonObject(),
            new JsonObject().put("upto", "5").put("msgids", new JsonArray().add("5")),
            new JsonObject().put("upto", 5),
            new JsonObject().put("msgids", "5"),
            new JsonObject().put("msgids", new JsonArray()),
            new JsonObject().put("msgids", tooMany),
            new JsonObject().put("msgids", new JsonArray().add("5").add(6)),
            new JsonObject().put("msgids", new JsonArray().add("5").addNull()),
            new JsonObject().put("msgids", new JsonArray().add("-5")));
    for (JsonObject body : refused) {
      JsonObject answer = await(offline.offlineAck(request(body)));
      assertEquals(400, answer.getInteger("code"), body.encode() + " → " + answer.encode());
      assertTrue(
          answer.getString("msg").contains("msgid") || answer.getString("msg").contains("upto"));
    }
  }

  private List<String> storeThree() {
    List<String> msgids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Message message = s2c(++nextMsgid);
      store.storeOffline(List.of(message));
      msgids.add(Long.toString(message.msgid()));
    }
    return msgids;
  }

  private static Message s2c(long msgid) {
    return new Message(msgid, Kind.S2C, "", 0, BOB, APP, 3, "order " + msgid, 1, "log-" + msgid);
  }

  private static int removed(JsonObject answer) {
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return answer.getInteger("removed");
  }

  private static SessionRequest request(JsonObject body) {
    return new SessionRequest(new SessionRef(BOB, APP, "node-1", "session-1", 1), body);
  }

  private static List<String> msgids(JsonObject answer) {
    assertEquals(0, answer.getInteger("code"), answer.encode());
    JsonArray msgs = answer.getJsonArray("msgs");
    List<String> ids = new ArrayList<>();
    msgs.forEach(item -> ids.add(((JsonObject) item).getString("msgid")));
    return ids;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no answer within " + WAIT_SECONDS + " s", e);
    }
  }

  /**
   * The receipts published on {@link Addresses#RECEIPTS}. {@link #pulled()} publishes a marker
   * after them from the test thread and waits for it: the event bus delivers one sender's messages
   * in order, so everything published before the marker has been recorded by then.
   */
  private static final class ReceiptRecorder {
    private static final String MARKER = "marker";
    private final List<Receipt> received = new ArrayList<>();
    private final MessageConsumer<JsonObject> consumer;
    private Promise<Void> marker;

    ReceiptRecorder() {
      consumer = vertx.eventBus().localConsumer(Addresses.RECEIPTS, this::receive);
      await(consumer.completion());
    }

    private synchronized void receive(io.vertx.core.eventbus.Message<JsonObject> message) {
      if (message.body().containsKey(MARKER)) {
        marker.complete();
        return;
      }
      try {
        received.add(Receipt.fromJson(message.body()));
      } catch (MalformedBodyException e) {
        throw new AssertionError("a receipt that does not read: " + message.body().encode(), e);
      }
    }

    /** The msgids of the {@code pulled} receipts so far, in order. */
    List<String> pulled() {
      Promise<Void> published = Promise.promise();
      synchronized (this) {
        marker = published;
      }
      vertx.eventBus().publish(Addresses.RECEIPTS, new JsonObject().put(MARKER, true));
      await(published.future());
      synchronized (this) {
        return received.stream()
            .filter(receipt -> receipt.status() == Step.PULLED)
            .map(receipt -> Long.toString(receipt.msgid()))
            .toList();
      }
    }

    void close() {
      await(consumer.unregister());
    }
  }
}
