package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.GateCommand.PushItem;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.RecordingPushTransport;
import io.courier.testkit.fakes.RoutingFixture;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
