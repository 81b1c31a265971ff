package io.courier.routing;

import static io.courier.testkit.fakes.RequestBodies.c2s;
import static io.courier.testkit.fakes.RequestBodies.from;
import static io.courier.testkit.fakes.RequestBodies.sender;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.courier.contract.SessionRef;
import io.courier.protocol.Code;
import io.courier.protocol.body.C2sAnswer;
import io.courier.protocol.body.C2sMessage;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.Step;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.RoutingFixture;
import io.courier.testkit.fakes.ScriptedBusinessConsumers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * C2S (protocol.md 9.4, event-bus.md 6): handed to a consumer of {@code
 * courier.c2s.<appcode>.<msgtype>}; the client learns whether one accepted it.
 */
class RoutingC2sTest {
  private static final String ADDRESS = "courier.c2s.201.7";
  private static Vertx vertx;

  private final SessionRef driver = sender("driver-17", 201);
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
  void aMessageAcceptedByAConsumerIsAnswered0WithItsMsgid() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));
    String content = "lat=31.2,lng=121.5 <b>as sent</b>";

    JsonObject answer = send(c2s(7, content).put("logid", "c2s-test-log"));

    C2sAnswer accepted = C2sAnswer.fromJson(answer);
    assertEquals(Result.ok(), accepted.result());
    List<ScriptedBusinessConsumers.Request> handed = flows.consumers().requests();
    assertEquals(1, handed.size());
    assertEquals(ADDRESS, handed.get(0).address());
    assertEquals(
        new C2sMessage(
            accepted.msgid(), "driver-17", 201, 7, content, FixedClock.DEFAULT_NOW, "c2s-test-log"),
        C2sMessage.fromJson(handed.get(0).message()));
  }

  @Test
  void aReplyWithoutBodyOrWithoutCodeAccepts() throws Exception {
    flows.consumers().replies(ADDRESS, null);
    flows.consumers().replies("courier.c2s.201.8", new JsonObject().put("seen", true));

    assertEquals(Code.OK, code(send(c2s(7, "x"))));
    assertEquals(Code.OK, code(send(c2s(8, "x"))));
  }

  @Test
  void theConsumersCodeReachesTheClientWithItsDefaultReason() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 429).put("msg", "slow down"));

    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "x")));

    assertEquals(Result.error(Code.RATE_LIMITED, null), answer.result());
    assertEquals(
        Long.toString(answer.msgid()),
        flows.consumers().requests().get(0).message().getString("msgid"),
        "the msgid the consumer saw");
  }

  @Test
  void aReplyBodyThatIsNotAJsonObjectIs500() throws Exception {
    flows.consumers().replies(ADDRESS, "ok");

    assertEquals(Code.INTERNAL, code(send(c2s(7, "x"))));
  }

  @Test
  void aCodeThatIsNotAProtocolCodeIs500() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 12_345));

    assertEquals(Code.INTERNAL, code(send(c2s(7, "x"))));
  }

  @Test
  void aConsumerThatFailsTheMessageGivesItsFailureCode() throws Exception {
    flows.consumers().fails(ADDRESS, 403);

    assertEquals(Code.FORBIDDEN, code(send(c2s(7, "x"))));
  }

  @Test
  void withoutConsumerItIs503NamingTheAddress() throws Exception {
    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "x")));

    assertEquals(Result.error(Code.UNAVAILABLE, "no consumer on " + ADDRESS), answer.result());
    assertEquals(1, flows.consumers().requests().size());
  }

  @Test
  void aConsumerThatDoesNotAnswerInTimeIs504() throws Exception {
    flows.consumers().silent(ADDRESS);

    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "x")));

    assertEquals(
        Result.error(Code.TIMEOUT, "no consumer answered on " + ADDRESS + " in time"),
        answer.result());
  }

  @Test
  void theConsumerOfTheSendersAppcodeAndMsgtypeGetsIt() {
    flows.consumers().replies("courier.c2s.101.7", new JsonObject().put("code", 0));

    send(c2s(7, "x"));
    Await.result(flows.routing().c2s(from(sender("alice", 101), c2s(7, "y"))));

    assertEquals(
        List.of(ADDRESS, "courier.c2s.101.7"),
        flows.consumers().requests().stream()
            .map(ScriptedBusinessConsumers.Request::address)
            .toList());
  }

  @Test
  void aC2sMessageIsNeverStored() throws Exception {
    flows.store().down(new IllegalStateException("C2S must not need the store"));
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    assertEquals(Code.OK, code(send(c2s(7, "x"))));
  }

  @Test
  void badFieldsAreRefusedBeforeAnyConsumerSeesThem() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    assertEquals(Code.BAD_REQUEST, code(send(c2s(7, "x").put("msgtype", 70_000))));
    assertEquals(Code.BAD_REQUEST, code(send(new JsonObject().put("msgtype", 7))));
    assertEquals(Code.TOO_LARGE, code(send(c2s(7, "x".repeat(16_385)))));
    assertEquals(List.of(), flows.consumers().requests());
  }

  @Test
  void aHandedMessageWithCmidOrQosIsAnsweredWithStatusHandedAPlainOneAsBefore() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    assertEquals(Step.HANDED, C2sAnswer.fromJson(send(c2s(7, "x").put("cmid", "h"))).status());
    assertEquals(Step.HANDED, C2sAnswer.fromJson(send(c2s(7, "x").put("qos", 0))).status());
    assertEquals(Set.of("code", "msgid"), send(c2s(7, "x")).fieldNames());
  }

  @Test
  void aResendWithTheSameCmidCarriesTheFirstMsgidAndReachesTheConsumerOnceMore() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    C2sAnswer first = C2sAnswer.fromJson(send(c2s(7, "accept order 42").put("cmid", "a-42")));
    C2sAnswer again = C2sAnswer.fromJson(send(c2s(7, "accept order 42").put("cmid", "a-42")));
    C2sAnswer other = C2sAnswer.fromJson(send(c2s(7, "accept order 43").put("cmid", "a-43")));

    assertEquals(first.msgid(), again.msgid());
    assertNotEquals(first.msgid(), other.msgid());
    assertEquals(
        List.of(first.msgid(), first.msgid(), other.msgid()),
        flows.consumers().requests().stream()
            .map(request -> Long.parseLong(request.message().getString("msgid")))
            .toList());
  }

  @Test
  void qos1WithoutConsumerIsStoredAnswered0StoredAndWakesTheDrainer() throws Exception {
    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "accept").put("qos", 1)));

    assertEquals(Result.ok(), answer.result());
    assertEquals(Step.STORED, answer.status());
    assertEquals(List.of(answer.msgid()), waitingMsgids());
    assertEquals(1, flows.drainerWakes());
    assertEquals(1.0, outboxCount("stored"));
  }

  @Test
  void qos1WithASilentConsumerIsStoredToo() throws Exception {
    flows.consumers().silent(ADDRESS);

    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "accept").put("qos", 1)));

    assertEquals(Step.STORED, answer.status());
    assertEquals(List.of(answer.msgid()), waitingMsgids());
  }

  @Test
  void qos1BehindAWaitingMessageOfItsQueueWaitsEvenWhenAConsumerIsThere() throws Exception {
    C2sAnswer first = C2sAnswer.fromJson(send(c2s(7, "first").put("qos", 1)));
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    C2sAnswer second = C2sAnswer.fromJson(send(c2s(7, "second").put("qos", 1)));
    C2sAnswer otherQueue = C2sAnswer.fromJson(send(c2s(8, "other").put("qos", 1)));

    assertEquals(Step.STORED, second.status());
    assertEquals(List.of(first.msgid(), second.msgid(), otherQueue.msgid()), waitingMsgids());
    assertEquals(Step.STORED, otherQueue.status(), "no consumer of 201.8");
  }

  @Test
  void aResendOfAStoredQos1MessageWithItsCmidIsNotASecondMessage() throws Exception {
    JsonObject body = c2s(7, "accept order 42").put("qos", 1).put("cmid", "accept-42");
    C2sAnswer first = C2sAnswer.fromJson(send(body.copy()));
    C2sAnswer resend = C2sAnswer.fromJson(send(body.copy()));

    assertEquals(first.msgid(), resend.msgid());
    assertEquals(Step.STORED, resend.status());
    assertEquals(List.of(first.msgid()), waitingMsgids());
  }

  @Test
  void qos1AcceptedByAConsumerIsNotStored() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    C2sAnswer answer = C2sAnswer.fromJson(send(c2s(7, "accept").put("qos", 1)));

    assertEquals(Step.HANDED, answer.status());
    assertEquals(List.of(), waitingMsgids());
  }

  @Test
  void qos1RefusedByTheBusinessIsAnsweredWithItsCodeAndNotStored() throws Exception {
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 400));

    assertEquals(Code.BAD_REQUEST, code(send(c2s(7, "accept").put("qos", 1))));
    assertEquals(List.of(), waitingMsgids());
  }

  @Test
  void aSenderAtTheOutboxCapIsRefused429AndCounted() throws Exception {
    for (int i = 0; i < RoutingFixture.MAX_WAITING_C2S; i++) {
      send(c2s(7, "m" + i).put("qos", 1));
    }

    C2sAnswer refused = C2sAnswer.fromJson(send(c2s(8, "one more").put("qos", 1)));

    assertEquals(Result.error(Code.RATE_LIMITED, Routing.C2S_OUTBOX_FULL), refused.result());
    assertEquals(RoutingFixture.MAX_WAITING_C2S, waitingMsgids().size());
    assertEquals(1.0, outboxCount("full"));
    assertEquals(
        Step.STORED,
        C2sAnswer.fromJson(
                Await.result(
                    flows.routing().c2s(from(sender("other", 201), c2s(7, "x").put("qos", 1)))))
            .status(),
        "the cap is per sender");
  }

  @Test
  void withTheOutboxDownACmidOrQos1C2sIs503AndAPlainOneIsHanded() throws Exception {
    flows.c2sOutbox().down(new IllegalStateException("outbox down"));
    flows.consumers().replies(ADDRESS, new JsonObject().put("code", 0));

    assertEquals(Code.UNAVAILABLE, code(send(c2s(7, "x").put("cmid", "c1"))));
    assertEquals(Code.UNAVAILABLE, code(send(c2s(7, "x").put("qos", 1))));
    assertEquals(Code.OK, code(send(c2s(7, "x"))));
    assertEquals(1, flows.consumers().requests().size());
  }

  @Test
  void badCmidOrQosIsRefused() throws Exception {
    assertEquals(Code.BAD_REQUEST, code(send(c2s(7, "x").put("qos", 2))));
    assertEquals(Code.BAD_REQUEST, code(send(c2s(7, "x").put("cmid", ""))));
    assertEquals(Code.BAD_REQUEST, code(send(c2s(7, "x").put("cmid", "c".repeat(65)))));
    assertEquals(List.of(), flows.consumers().requests());
  }

  private List<Long> waitingMsgids() {
    return flows.c2sOutbox().waiting().stream().map(C2sMessage::msgid).toList();
  }

  private double outboxCount(String event) {
    return flows.registry().get("courier.c2s.outbox").tag("event", event).counter().count();
  }

  private JsonObject send(JsonObject body) {
    return Await.result(flows.routing().c2s(from(driver, body)));
  }

  private static Code code(JsonObject answer) throws Exception {
    return Result.fromJson(answer).code();
  }
}
