package io.courier.routing;

import static io.courier.testkit.fakes.RequestBodies.s2c;
import static io.courier.testkit.fakes.RequestBodies.s2cMulti;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.GateCommand.PushItem;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.S2cAnswer;
import io.courier.protocol.body.S2cMultiAnswer;
import io.courier.protocol.body.Step;
import io.courier.testkit.fakes.Await;
import io.courier.testkit.fakes.FixedClock;
import io.courier.testkit.fakes.RecordingPushTransport;
import io.courier.testkit.fakes.RequestBodies;
import io.courier.testkit.fakes.RoutingFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S2C (event-bus.md 2 and 3): qos 1 is stored before the reply and answered {@code pushed} or
 * {@code stored}; qos 0 is never stored, {@code pushed} or {@code dropped}.
 */
class RoutingS2cTest {
  private static final String LOGID = "s2c-test-log";
  private static Vertx vertx;

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
  void onlyAQos1MessageStoredForAnOfflineReceiverIsHandedOverForAWakeUp() throws Exception {
    flows.online("driver-18", 201, "node-d");

    S2cAnswer live = accepted(s2cRequest(s2c("driver-18", 201, "order 1")));
    S2cAnswer stored = accepted(s2cRequest(s2c("driver-19", 201, "order 2")));
    S2cAnswer dropped = accepted(s2cRequest(s2c("driver-19", 201, "lat=1").put("qos", 0)));

    assertEquals(Step.PUSHED, live.status());
    assertEquals(Step.STORED, stored.status());
    assertEquals(Step.DROPPED, dropped.status());
    assertEquals(List.of("stored " + stored.msgid()), flows.notifier().handed());
  }

  @Test
  void qos1ToAnOnlineReceiverIsStoredAndPushed() throws Exception {
    flows.online("driver-17", 201, "node-d");

    JsonObject answer = s2cRequest(s2c("driver-17", 201, "order 42").put("logid", LOGID));

    S2cAnswer pushed = accepted(answer);
    assertEquals(Step.PUSHED, pushed.status());
    Message expected =
        new Message(
            pushed.msgid(),
            Kind.S2C,
            "",
            0,
            "driver-17",
            201,
            RequestBodies.MSGTYPE,
            "order 42",
            FixedClock.DEFAULT_NOW,
            LOGID);
    assertEquals(List.of(expected), offline("driver-17", 201), "kept until the client acks it");
    assertEquals(
        List.of(new PushItem("driver-17@201", 1, expected)),
        flows.transport().batchesTo("node-d").get(0).items());
  }

  @Test
  void qos1ToAnOfflineReceiverIsStored() throws Exception {
    S2cAnswer answer = accepted(s2cRequest(s2c("driver-17", 201, "order 42").put("logid", LOGID)));

    assertEquals(Step.STORED, answer.status());
    assertEquals(List.of(answer.msgid()), msgids(offline("driver-17", 201)));
    assertEquals(List.of(), flows.transport().batches());
    assertEquals(List.of("accepted", "stored"), flows.steps(LOGID));
  }

  @Test
  void qos1IsNotAnsweredNorPushedBeforeItIsDurable() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.store().holdWrites();

    Future<JsonObject> answer = flows.routing().s2c(s2c("driver-17", 201, "order 42"));

    assertFalse(answer.isComplete());
    assertEquals(List.of(), flows.transport().batches());
    flows.store().releaseWrites();
    assertEquals(Step.PUSHED, accepted(Await.result(answer)).status());
    assertEquals(1, flows.transport().batches().size());
  }

  @Test
  void qos1WithTheStoreDownIs503AndNothingIsPushed() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.store().down(new IllegalStateException("connection refused"));

    JsonObject answer = s2cRequest(s2c("driver-17", 201, "order 42"));

    assertEquals(
        Result.error(Code.UNAVAILABLE, "message store unavailable"), Result.fromJson(answer));
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void qos1WhoseConnectionCouldNotTakeThePushIsStored() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.transport().refuse("driver-17@201");

    S2cAnswer answer = accepted(s2cRequest(s2c("driver-17", 201, "order 42")));

    assertEquals(Step.STORED, answer.status());
    assertEquals(List.of(answer.msgid()), msgids(offline("driver-17", 201)));
  }

  @Test
  void qos1ToAReceiverWhoseGateDoesNotAnswerIsStored() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.transport().unreachable("node-d");

    S2cAnswer answer = accepted(s2cRequest(s2c("driver-17", 201, "order 42")));

    assertEquals(Step.STORED, answer.status());
    assertEquals(List.of(answer.msgid()), msgids(offline("driver-17", 201)));
  }

  @Test
  void qos1WithPresenceDownIsStored() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.presence().down(new IllegalStateException("redis down"));

    S2cAnswer answer = accepted(s2cRequest(s2c("driver-17", 201, "order 42")));

    assertEquals(Step.STORED, answer.status());
    assertEquals(1, offline("driver-17", 201).size());
  }

  @Test
  void qos0ToAnOnlineReceiverIsPushedAndNeverStored() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.store().down(new IllegalStateException("a qos-0 push must not need the store"));

    S2cAnswer answer = accepted(s2cRequest(s2c("driver-17", 201, "lat=31.2").put("qos", 0)));

    assertEquals(Step.PUSHED, answer.status());
    PushItem pushed = flows.transport().itemsTo("driver-17@201").get(0);
    assertEquals(0, pushed.qos());
    assertEquals(answer.msgid(), pushed.message().msgid());
    flows.store().up();
    assertEquals(List.of(), offline("driver-17", 201));
  }

  @Test
  void qos0ToAnOfflineReceiverIsDroppedAndNeverStored() throws Exception {
    S2cAnswer answer =
        accepted(s2cRequest(s2c("driver-17", 201, "lat=31.2").put("qos", 0).put("logid", LOGID)));

    assertEquals(Step.DROPPED, answer.status());
    assertEquals(List.of(), offline("driver-17", 201));
    assertEquals(0, Await.result(flows.store().maxMsgid()));
    assertEquals(List.of("accepted"), flows.steps(LOGID), "no stored step for a dropped message");
  }

  @Test
  void qos0ThatCouldNotBePushedIsDropped() throws Exception {
    flows.online("driver-17", 201, "node-d");
    flows.online("driver-18", 201, "node-e");
    flows.transport().refuse("driver-17@201");
    flows.transport().unreachable("node-e");

    S2cAnswer refused = accepted(s2cRequest(s2c("driver-17", 201, "lat=1").put("qos", 0)));
    S2cAnswer unanswered = accepted(s2cRequest(s2c("driver-18", 201, "lat=2").put("qos", 0)));

    assertEquals(Step.DROPPED, refused.status());
    assertEquals(Step.DROPPED, unanswered.status());
    assertEquals(0, Await.result(flows.store().maxMsgid()));
  }

  @Test
  void theBusinessesFromUidAndLogidAreKeptAndAnInvalidLogidIsReplaced() throws Exception {
    S2cAnswer kept =
        accepted(
            s2cRequest(s2c("driver-17", 201, "x").put("from_uid", "dispatch").put("logid", LOGID)));
    S2cAnswer replaced = accepted(s2cRequest(s2c("driver-17", 201, "y").put("logid", "bad!")));

    List<Message> stored = offline("driver-17", 201);
    assertEquals(List.of(kept.msgid(), replaced.msgid()), msgids(stored));
    assertEquals("dispatch", stored.get(0).fromUid());
    assertEquals(0, stored.get(0).fromAppcode());
    assertEquals(LOGID, stored.get(0).logid());
    assertTrue(stored.get(1).logid().matches("[A-Za-z0-9_-]{8,64}"), stored.get(1).logid());
  }

  @Test
  void badRequestsAreRefusedWithTheirCodeAndNothingIsStored() throws Exception {
    assertRefused(Code.BAD_REQUEST, s2c("driver-17", 201, "x").put("qos", 2));
    assertRefused(Code.BAD_REQUEST, s2c("driver-17", 201, "x").put("from_uid", "not a uid"));
    assertRefused(Code.BAD_REQUEST, s2c("driver-17", 201, "x").put("msgtype", "9"));
    assertRefused(Code.BAD_REQUEST, s2c("driver 17", 201, "x"));
    assertRefused(Code.FORBIDDEN, s2c("driver-17", 999, "x"));
    assertRefused(Code.TOO_LARGE, s2c("driver-17", 201, "x".repeat(16_385)));
    assertEquals(0, Await.result(flows.store().maxMsgid()));
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void multiAnswersEachDistinctReceiverInRequestOrder() throws Exception {
    flows.online("d1", 201, "node-a");
    flows.online("d2", 201, "node-b");
    flows.online("d4", 201, "node-a");
    flows.transport().refuse("d4@201");

    JsonObject answer =
        s2cMultiRequest(s2cMulti(List.of("d3", "d1", "d2", "d1", "d4"), 201, "order 42"));

    assertEquals(Result.ok(), Result.fromJson(answer));
    List<S2cMultiAnswer.Entry> results = S2cMultiAnswer.fromJson(answer).results();
    assertEquals(List.of("d3", "d1", "d2", "d4"), results.stream().map(e -> e.toUid()).toList());
    assertEquals(
        List.of(Step.STORED, Step.PUSHED, Step.PUSHED, Step.STORED),
        results.stream().map(S2cMultiAnswer.Entry::status).toList());
    assertEquals(4, results.stream().map(S2cMultiAnswer.Entry::msgid).distinct().count());
    assertEquals(List.of("node-a", "node-b"), nodes(flows.transport().batches()));
    assertEquals(
        List.of("d1@201", "d4@201"), flows.transport().batchesTo("node-a").get(0).sessions());
    for (S2cMultiAnswer.Entry entry : results) {
      List<Message> stored = offline(entry.toUid(), 201);
      assertEquals(List.of(entry.msgid()), msgids(stored), entry.toUid());
      assertEquals(FixedClock.DEFAULT_NOW, stored.get(0).senddate());
    }
    assertEquals(
        1,
        results.stream()
            .map(entry -> offline(entry.toUid(), 201).get(0).logid())
            .distinct()
            .count(),
        "one logid for the whole request");
  }

  @Test
  void multiQos0AnswersPushedOrDroppedPerReceiver() throws Exception {
    flows.online("d1", 201, "node-a");

    JsonObject answer = s2cMultiRequest(s2cMulti(List.of("d1", "d2"), 201, "lat=1").put("qos", 0));

    assertEquals(
        List.of(Step.PUSHED, Step.DROPPED),
        S2cMultiAnswer.fromJson(answer).results().stream()
            .map(S2cMultiAnswer.Entry::status)
            .toList());
    assertEquals(0, Await.result(flows.store().maxMsgid()));
  }

  @Test
  void multiWithTheStoreDownIs503ForTheWholeRequest() throws Exception {
    flows.online("d1", 201, "node-a");
    flows.store().down(new IllegalStateException("connection refused"));

    JsonObject answer = s2cMultiRequest(s2cMulti(List.of("d1", "d2"), 201, "order 42"));

    assertEquals(Code.UNAVAILABLE, Result.fromJson(answer).code());
    assertEquals(List.of(), flows.transport().batches());
  }

  @Test
  void multiRefusesABadReceiverList() throws Exception {
    List<String> thousandAndOne = IntStream.rangeClosed(0, 1000).mapToObj(i -> "d" + i).toList();
    List<String> aThousandDuplicates = Collections.nCopies(1001, "d1");

    assertMultiRefused(s2cMulti(List.of(), 201, "x"));
    assertMultiRefused(s2cMulti(thousandAndOne, 201, "x"));
    assertMultiRefused(s2cMulti(aThousandDuplicates, 201, "x"));
    assertMultiRefused(s2cMulti(List.of("d1", "not a uid"), 201, "x"));
    assertMultiRefused(s2cMulti(List.of("d1"), 201, "x").put("to_uids", "d1"));
    assertMultiRefused(
        s2cMulti(List.of("d1"), 201, "x").put("to_uids", new JsonArray().add("d1").add(7)));
    assertEquals(0, Await.result(flows.store().maxMsgid()));
  }

  @Test
  void multiOfAThousandReceiversIsAccepted() throws Exception {
    List<String> thousand = IntStream.range(0, 1000).mapToObj(i -> "d" + i).toList();

    JsonObject answer = s2cMultiRequest(s2cMulti(thousand, 201, "x"));

    assertEquals(1000, S2cMultiAnswer.fromJson(answer).results().size());
  }

  private JsonObject s2cRequest(JsonObject body) {
    return Await.result(flows.routing().s2c(body));
  }

  private JsonObject s2cMultiRequest(JsonObject body) {
    return Await.result(flows.routing().s2cMulti(body));
  }

  private static S2cAnswer accepted(JsonObject answer) throws Exception {
    assertEquals(Result.ok(), Result.fromJson(answer), answer::encode);
    return S2cAnswer.fromJson(answer);
  }

  private void assertRefused(Code code, JsonObject body) throws Exception {
    assertEquals(code, Result.fromJson(s2cRequest(body)).code(), body::encode);
  }

  private void assertMultiRefused(JsonObject body) throws Exception {
    Result answer = Result.fromJson(s2cMultiRequest(body));
    assertEquals(Code.BAD_REQUEST, answer.code());
    assertTrue(answer.msg().startsWith("to_uids"), answer.msg());
  }

  private List<Message> offline(String uid, int appcode) {
    return Await.result(flows.store().pull(uid, appcode, 0, 100)).messages();
  }

  private static List<String> nodes(List<RecordingPushTransport.Batch> batches) {
    return batches.stream().map(RecordingPushTransport.Batch::node).toList();
  }

  private static List<Long> msgids(List<Message> messages) {
    return messages.stream().map(Message::msgid).toList();
  }
}
