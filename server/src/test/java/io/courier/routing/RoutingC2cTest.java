package io.courier.routing;

import static io.courier.testkit.fakes.RequestBodies.c2c;
import static io.courier.testkit.fakes.RequestBodies.from;
import static io.courier.testkit.fakes.RequestBodies.sender;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.SessionRef;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.body.C2cAnswer;
import io.courier.protocol.body.Result;
import io.courier.richtext.RichText;
import io.courier.store.StoreOverloadedException;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.RequestBodies;
import io.courier.testkit.fakes.RoutingFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** C2C (protocol.md 9.5): stored before the answer, deduplicated by cmid, pushed when online. */
class RoutingC2cTest {
  private static final String LOGID = "c2c-test-log";
  private static Vertx vertx;

  private final SessionRef alice = sender("alice", 101);
  private RoutingFixture flows;

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
  }

  @Test
  void anAcceptedMessageIsStoredAnsweredAndPushedToTheReceiver() throws Exception {
    flows.online("bob", 102, "node-b");

    JsonObject answer = send(c2c("bob", 102, "cmid-1", "hello bob").put("logid", LOGID));

    assertEquals(Result.ok(), Result.fromJson(answer));
    C2cAnswer accepted = C2cAnswer.fromJson(answer);
    assertEquals(FixedClock.DEFAULT_NOW, accepted.senddate());
    Message expected =
        new Message(
            accepted.msgid(),
            Kind.C2C,
            "alice",
            101,
            "bob",
            102,
            RequestBodies.MSGTYPE,
            "hello bob",
            FixedClock.DEFAULT_NOW,
            LOGID);
    assertEquals(List.of(expected), offline("bob", 102));
    assertEquals(
        List.of(expected),
        Await.result(flows.store().history("alice", "bob", Long.MAX_VALUE, 10)).messages());
    assertEquals(1, flows.transport().batches().size());
    assertEquals(
        List.of(new PushItem("bob@102", 1, expected.withState("delivered"))),
        flows.transport().batchesTo("node-b").get(0).items(),
        "pushed with the receiver's state");
  }

  @Test
  void aResendWithTheSameCmidGetsTheSameMsgidAndIsNotPushedAgain() throws Exception {
    flows.online("bob", 102, "node-b");
    C2cAnswer first = C2cAnswer.fromJson(send(c2c("bob", 102, "cmid-1", "hello")));
    flows.clock().advance(5_000);

    JsonObject again = send(c2c("bob", 102, "cmid-1", "hello, resent"));

    assertEquals(Result.ok(), Result.fromJson(again));
    assertEquals(first, C2cAnswer.fromJson(again));
    assertEquals(1, offline("bob", 102).size());
    assertEquals("hello", offline("bob", 102).get(0).content());
    assertEquals(1, flows.transport().itemsTo("bob@102").size());
  }

  @Test
  void anotherCmidIsAnotherMessage() throws Exception {
    C2cAnswer first = C2cAnswer.fromJson(send(c2c("bob", 102, "cmid-1", "one")));
    C2cAnswer second = C2cAnswer.fromJson(send(c2c("bob", 102, "cmid-2", "two")));

    assertNotEquals(first.msgid(), second.msgid());
    assertEquals(
        List.of("one", "two"), offline("bob", 102).stream().map(Message::content).toList());
  }

  @Test
  void theAnswerWaitsUntilTheMessageIsDurableAndNothingIsPushedBefore() throws Exception {
    flows.online("bob", 102, "node-b");
    flows.store().holdWrites();

    Future<JsonObject> answer = flows.routing().c2c(from(alice, c2c("bob", 102, "cmid-1", "hi")));

    assertFalse(answer.isComplete());
    assertEquals(List.of(), flows.transport().batches());
    flows.store().releaseWrites();
    assertEquals(Result.ok(), Result.fromJson(Await.result(answer)));
    assertEquals(1, offline("bob", 102).size());
    assertEquals(1, flows.transport().itemsTo("bob@102").size());
  }

  @Test
  void theAnswerDoesNotWaitForTheReceiversGate() throws Exception {
    flows.online("bob", 102, "node-b");
    flows.transport().hold("node-b");

    Future<JsonObject> answer = flows.routing().c2c(from(alice, c2c("bob", 102, "cmid-1", "hi")));

    assertTrue(answer.isComplete(), "answered while the gate has not answered");
    assertEquals(Result.ok(), Result.fromJson(Await.result(answer)));
    assertEquals(1, flows.transport().batchesTo("node-b").size());
  }

  @Test
  void aMessageToAnOfflineReceiverIsAcceptedAndWaitsOffline() throws Exception {
    JsonObject answer = send(c2c("bob", 102, "cmid-1", "are you there?").put("logid", LOGID));

    assertEquals(Result.ok(), Result.fromJson(answer));
    assertEquals(List.of("are you there?"), contents(offline("bob", 102)));
    assertEquals(List.of(), flows.transport().batches());
    assertEquals(List.of("accepted", "stored"), flows.steps(LOGID));
    assertEquals(
        List.of("stored " + answer.getString("msgid")),
        flows.notifier().handed(),
        "handed over for a wake-up");
  }

  @Test
  void onlyTheSessionOfTheReceiversAppcodeIsPushed() throws Exception {
    flows.online("bob", 103, "node-b");

    send(c2c("bob", 102, "cmid-1", "to the phone app").put("logid", LOGID));

    assertEquals(List.of(), flows.transport().batches());
    assertEquals(1, offline("bob", 102).size());
    assertEquals(List.of(), offline("bob", 103));
    assertTrue(flows.steps(LOGID).contains("stored"));
  }

  @Test
  void aReceiverWhoseGateDoesNotAnswerFindsTheMessageOffline() throws Exception {
    flows.online("bob", 102, "node-b");
    flows.transport().unreachable("node-b");

    JsonObject answer = send(c2c("bob", 102, "cmid-1", "hi").put("logid", LOGID));

    assertEquals(Result.ok(), Result.fromJson(answer));
    assertEquals(1, offline("bob", 102).size());
    assertEquals(List.of("accepted", "routed", "stored"), flows.steps(LOGID));
  }

  @Test
  void withPresenceDownTheMessageIsStillAcceptedAndWaitsOffline() throws Exception {
    flows.online("bob", 102, "node-b");
    flows.presence().down(new IllegalStateException("redis down"));

    JsonObject answer = send(c2c("bob", 102, "cmid-1", "hi"));

    assertEquals(Result.ok(), Result.fromJson(answer));
    assertEquals(1, offline("bob", 102).size());
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void aStoreThatIsDownIs503AndNothingIsPushed() throws Exception {
    flows.online("bob", 102, "node-b");
    flows.store().down(new IllegalStateException("connection refused"));

    JsonObject answer = send(c2c("bob", 102, "cmid-1", "hi").put("logid", LOGID));

    assertEquals(
        Result.error(Code.UNAVAILABLE, "message store unavailable"), Result.fromJson(answer));
    assertEquals(List.of(), flows.transport().batches());
    assertEquals(List.of("failed"), flows.steps(LOGID));
    flows.store().up();
    assertEquals(List.of(), offline("bob", 102));
  }

  @Test
  void anOverloadedStoreIs503AndTheSameCmidIsAcceptedLater() throws Exception {
    flows.store().down(new StoreOverloadedException(1000));

    JsonObject refused = send(c2c("bob", 102, "cmid-1", "hi"));
    flows.store().up();
    JsonObject resent = send(c2c("bob", 102, "cmid-1", "hi"));

    assertEquals(Code.UNAVAILABLE, Result.fromJson(refused).code());
    assertEquals(Result.ok(), Result.fromJson(resent));
    assertEquals(1, offline("bob", 102).size());
  }

  @Test
  void contentIsSanitizedBeforeItIsStoredAndPushed() throws Exception {
    flows.online("bob", 102, "node-b");
    String raw = "<script>alert(1)</script><font color=\"red\">hi</font>";

    send(c2c("bob", 102, "cmid-1", raw));

    String sanitized = RichText.sanitize(raw);
    assertNotEquals(raw, sanitized);
    assertEquals(List.of(sanitized), contents(offline("bob", 102)));
    assertEquals(sanitized, flows.transport().itemsTo("bob@102").get(0).message().content());
  }

  @Test
  void contentOfExactly16KiBIsAcceptedAndOneByteMoreIs413() throws Exception {
    JsonObject atLimit = send(c2c("bob", 102, "cmid-1", "x".repeat(16_384)));
    JsonObject overAscii = send(c2c("bob", 102, "cmid-2", "x".repeat(16_385)));
    JsonObject overUtf8 = send(c2c("bob", 102, "cmid-3", "é".repeat(8_193)));

    assertEquals(Result.ok(), Result.fromJson(atLimit));
    assertEquals(Code.TOO_LARGE, Result.fromJson(overAscii).code());
    assertEquals(Code.TOO_LARGE, Result.fromJson(overUtf8).code());
    assertEquals(1, offline("bob", 102).size());
  }

  @Test
  void anAppcodeThatIsNotConfiguredIs403() throws Exception {
    JsonObject answer = send(c2c("bob", 999, "cmid-1", "hi"));

    assertEquals(
        Result.error(Code.FORBIDDEN, "to_appcode 999 is not a configured app"),
        Result.fromJson(answer));
    assertEquals(0, Await.result(flows.store().maxMsgid()));
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        Arguments.of("to_uid", null),
        Arguments.of("to_uid", "bob smith"),
        Arguments.of("to_uid", "b".repeat(65)),
        Arguments.of("to_appcode", 0),
        Arguments.of("to_appcode", "102"),
        Arguments.of("cmid", ""),
        Arguments.of("cmid", "c".repeat(65)),
        Arguments.of("cmid", 12),
        Arguments.of("msgtype", -1),
        Arguments.of("msgtype", 65_536),
        Arguments.of("msgtype", 7.5),
        Arguments.of("content", null),
        Arguments.of("content", 42));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badFields")
  void aBadFieldIs400NamingItAndNothingIsStoredOrPushed(String field, Object value)
      throws Exception {
    flows.online("bob", 102, "node-b");
    JsonObject body = c2c("bob", 102, "cmid-1", "hi");
    if (value == null) {
      body.remove(field);
    } else {
      body.put(field, value);
    }

    Result answer = Result.fromJson(send(body));

    assertEquals(Code.BAD_REQUEST, answer.code());
    assertTrue(answer.msg().startsWith(field), answer.msg());
    assertEquals(0, Await.result(flows.store().maxMsgid()));
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void theFirstBadFieldInTheDocumentedOrderDecides() throws Exception {
    JsonObject body = c2c("bob", 102, "", "x".repeat(20_000)).put("msgtype", -1);

    Result answer = Result.fromJson(send(body));

    assertEquals(Code.BAD_REQUEST, answer.code());
    assertTrue(answer.msg().startsWith("cmid"), answer.msg());
  }

  private JsonObject send(JsonObject body) {
    return Await.result(flows.routing().c2c(from(alice, body)));
  }

  private List<Message> offline(String uid, int appcode) {
    return Await.result(flows.store().pull(uid, appcode, 0, 100)).messages();
  }

  private static List<String> contents(List<Message> messages) {
    return messages.stream().map(Message::content).toList();
  }
}
