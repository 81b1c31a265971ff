package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.SessionRef;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.presence.PresenceStore;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.RecordingPushTransport;
import io.courier.testkit.fakes.RoutingFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pushing to live sessions: receivers are looked up once each, grouped per node, and each node gets
 * one batch; whatever a gate did not write is reported not pushed, for the caller to keep offline.
 */
class DeliveryTest {
  private static Vertx vertx;

  private RoutingFixture flows;
  private Delivery delivery;
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
    flows = new RoutingFixture(vertx);
    delivery = flows.delivery();
  }

  @Test
  void receiversAreGroupedPerNodeWithOneBatchEach() {
    flows.online("d1", 201, "node-a");
    flows.online("d2", 201, "node-b");
    flows.online("d3", 201, "node-a");
    flows.online("d4", 201, "node-b");
    List<Message> messages = messagesTo("d1", "d2", "d3", "d4", "d5");

    List<Boolean> pushed = Await.result(delivery.deliver(messages, 1).pushed());

    assertEquals(List.of(true, true, true, true, false), pushed);
    List<RecordingPushTransport.Batch> batches = flows.transport().batches();
    assertEquals(List.of("node-a", "node-b"), batches.stream().map(b -> b.node()).toList());
    assertEquals(
        List.of(
            new PushItem("d1@201", 1, messages.get(0)), new PushItem("d3@201", 1, messages.get(2))),
        batches.get(0).items());
    assertEquals(
        List.of(
            new PushItem("d2@201", 1, messages.get(1)), new PushItem("d4@201", 1, messages.get(3))),
        batches.get(1).items());
  }

  @Test
  void severalMessagesToOneReceiverAreLookedUpOnceAndSentInOneBatchInOrder() {
    flows.online("d1", 201, "node-a");
    List<Message> messages = messagesTo("d1", "d1", "d1");

    assertEquals(List.of(true, true, true), Await.result(delivery.deliver(messages, 0).pushed()));

    assertEquals(1, flows.presence().lookups());
    assertEquals(1, flows.transport().batches().size());
    assertEquals(messages, flows.transport().batches().get(0).messages());
  }

  @Test
  void aNodeThatDoesNotAnswerLeavesOnlyItsMessagesUnpushed() {
    flows.online("d1", 201, "node-a");
    flows.online("d2", 201, "node-b");
    flows.online("d3", 201, "node-a");
    flows.transport().unreachable("node-a");

    List<Boolean> pushed = Await.result(delivery.deliver(messagesTo("d1", "d2", "d3"), 1).pushed());

    assertEquals(List.of(false, true, false), pushed);
  }

  @Test
  void aConnectionThatCouldNotTakeItsPushIsNotPushed() {
    flows.online("d1", 201, "node-a");
    flows.online("d2", 201, "node-a");
    flows.transport().refuse("d1@201");

    List<Boolean> pushed = Await.result(delivery.deliver(messagesTo("d1", "d2"), 1).pushed());

    assertEquals(List.of(false, true), pushed);
  }

  @Test
  void onlyTheSessionOfTheMessagesAppcodeIsATarget() {
    flows.online("d1", 101, "node-a");
    flows.online("d1", 201, "node-b");

    assertEquals(List.of(true), Await.result(delivery.deliver(messagesTo("d1"), 1).pushed()));

    assertEquals(
        List.of("node-b"), flows.transport().batches().stream().map(b -> b.node()).toList());
  }

  @Test
  void withPresenceDownNothingIsPushedAndNothingFails() {
    flows.online("d1", 201, "node-a");
    flows.presence().down(new IllegalStateException("redis down"));

    Delivery.Dispatch dispatch = delivery.deliver(messagesTo("d1", "d2"), 1);

    Await.result(dispatch.sent());
    assertEquals(List.of(false, false), Await.result(dispatch.pushed()));
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void sentCompletesOnceTheBatchesAreHandedOverAndPushedWhenTheGateAnswers() {
    flows.online("d1", 201, "node-a");
    flows.transport().hold("node-a");

    Delivery.Dispatch dispatch = delivery.deliver(messagesTo("d1"), 1);

    Await.result(dispatch.sent());
    assertEquals(1, flows.transport().batches().size());
    assertFalse(dispatch.pushed().isComplete());
    flows.transport().release("node-a");
    assertTrue(Await.result(dispatch.pushed()).get(0));
  }

  @Test
  void theQosOfTheDeliveryTravelsWithEachPush() {
    flows.online("d1", 201, "node-a");

    Await.result(delivery.deliver(messagesTo("d1"), 0).pushed());
    Await.result(delivery.deliver(messagesTo("d1"), 1).pushed());

    assertEquals(
        List.of(0, 1), flows.transport().itemsTo("d1@201").stream().map(PushItem::qos).toList());
  }

  /**
   * One message whose receiver's sessions presence knows at once takes a path of its own; the same
   * message whose sessions come later takes the general one. Both must answer the same.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("oneReceiver")
  void oneMessageWhoseSessionsAreKnownAtOnceIsDeliveredAsWhenTheyComeLater(OneReceiver receiver) {
    Outcome atOnce = deliverOne(receiver, false);
    Outcome later = deliverOne(receiver, true);

    assertEquals(List.of(receiver.pushed()), atOnce.pushed());
    assertEquals(receiver.batches(), atOnce.batches().size());
    assertTrue(atOnce.sent());
    assertEquals(later, atOnce);
  }

  static Stream<OneReceiver> oneReceiver() {
    SessionRef online = new SessionRef("d1", 201, "node-a", "d1@201", 0);
    SessionRef elsewhere = new SessionRef("d1", 201, "node-b", "d1@201-b", 0);
    return Stream.of(
        new OneReceiver("online", Future.succeededFuture(List.of(online)), gate -> {}, true, 1),
        new OneReceiver(
            "online in another app only",
            Future.succeededFuture(List.of(new SessionRef("d1", 101, "node-a", "d1@101", 0))),
            gate -> {},
            false,
            0),
        new OneReceiver("offline", Future.succeededFuture(List.of()), gate -> {}, false, 0),
        new OneReceiver(
            "presence down",
            Future.failedFuture(new IllegalStateException("redis down")),
            gate -> {},
            false,
            0),
        new OneReceiver(
            "refused by its connection",
            Future.succeededFuture(List.of(online)),
            gate -> gate.refuse("d1@201"),
            false,
            1),
        new OneReceiver(
            "its node does not answer",
            Future.succeededFuture(List.of(online)),
            gate -> gate.unreachable("node-a"),
            false,
            1),
        new OneReceiver(
            "two sessions of its app, one refuses",
            Future.succeededFuture(List.of(online, elsewhere)),
            gate -> gate.refuse("d1@201"),
            true,
            2),
        new OneReceiver(
            "the gate link throws", Future.succeededFuture(List.of(online)), null, false, 0));
  }

  /**
   * A receiver's presence answer and what its gate does ({@code gate} null: the transport throws),
   * with whether the message is pushed and how many batches leave.
   */
  record OneReceiver(
      String name,
      Future<List<SessionRef>> sessions,
      Consumer<RecordingPushTransport> gate,
      boolean pushed,
      int batches) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What a delivery did: {@code sent} completed, the per-message results, the batches sent. */
  record Outcome(boolean sent, List<Boolean> pushed, List<RecordingPushTransport.Batch> batches) {}

  private Outcome deliverOne(OneReceiver receiver, boolean sessionsLater) {
    RecordingPushTransport gate = new RecordingPushTransport();
    PushTransport transport = gate;
    if (receiver.gate() == null) {
      transport =
          (node, items) -> {
            throw new IllegalStateException("the link to " + node + " is broken");
          };
    } else {
      receiver.gate().accept(gate);
    }
    HeldPresence presence = new HeldPresence(receiver.sessions(), sessionsLater);
    Message message =
        new Message(
            7, Kind.S2C, "", 0, "d1", 201, 9, "order 7", FixedClock.DEFAULT_NOW, "delivery-log-7");

    Delivery.Dispatch dispatch = flows.delivery(presence, transport).deliver(List.of(message), 1);
    assertEquals(!sessionsLater, dispatch.sent().isComplete());
    presence.release();

    Await.result(dispatch.sent());
    return new Outcome(
        dispatch.sent().succeeded(), Await.result(dispatch.pushed()), gate.batches());
  }

  /** Answers every lookup with {@code sessions}, at once or only on {@link #release()}. */
  private static final class HeldPresence implements PresenceStore {
    private final Future<List<SessionRef>> sessions;
    private final boolean held;
    private final List<Promise<List<SessionRef>>> waiting = new ArrayList<>();

    HeldPresence(Future<List<SessionRef>> sessions, boolean held) {
      this.sessions = sessions;
      this.held = held;
    }

    void release() {
      waiting.forEach(lookup -> lookup.handle(sessions));
    }

    @Override
    public Future<List<SessionRef>> sessions(String uid) {
      if (!held) {
        return sessions;
      }
      Promise<List<SessionRef>> lookup = Promise.promise();
      waiting.add(lookup);
      return lookup.future();
    }

    @Override
    public Future<SessionRef> put(SessionRef session) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> remove(SessionRef session) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Integer> removeNode(String node) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> refresh(String node, Collection<SessionRef> sessions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private List<Message> messagesTo(String... uids) {
    List<Message> messages = new ArrayList<>();
    for (String uid : uids) {
      long msgid = nextMsgid++;
      messages.add(
          new Message(
              msgid,
              Kind.S2C,
              "",
              0,
              uid,
              201,
              9,
              "order " + msgid,
              FixedClock.DEFAULT_NOW,
              "delivery-log-" + msgid));
    }
    return messages;
  }
}
