package io.courier.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.faults.Checker.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Histories the checker must pass, and histories each of its rules must fail. */
class CheckerTest {
  private static final long BOUND = 10_000;

  private final List<JsonObject> history = new ArrayList<>();
  private long ids;

  @Test
  void aCleanHistoryPasses() {
    c2c("c1", "u1-1", 1, 0, "100");
    c2c("c1", "u1-2", 1, 0, "101");
    push("u2/101", "c9", "100", "u1-1");
    push("u2/101", "c9", "101", "u1-2");
    s2c("u2/101", "s-1", 1, 0, "200");
    pull("u2/101", "c9", "200", "s-1");
    s2c("u2/101", "s-2", 0, 0, "201");
    c2s("q-1", 0, "300");
    deliver(Checker.BUSINESS, "q1", "c2s", "300", "q-1");
    catchUp("u2/101");

    assertEquals(List.of(), check());
  }

  @Test
  void anAcknowledgedC2cThatNeverArrivesIsLost() {
    c2c("c1", "u1-1", 1, 0, "100");
    catchUp("u2/101");

    assertRules(Checker.LOST);
  }

  @Test
  void anAcknowledgedQos1S2cThatNeverArrivesIsLostButQos0MayBeDropped() {
    s2c("u2/101", "s-1", 1, 0, "200");
    s2c("u2/101", "s-2", 0, 0, "201");
    catchUp("u2/101");

    List<Violation> violations = check();
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).detail().contains("s-1"));
  }

  @Test
  void anAcknowledgedC2sTheBusinessNeverGotIsLost() {
    c2s("q-1", 0, "300");

    assertRules(Checker.LOST);
  }

  @Test
  void messagesNotAcknowledgedWithCodeZeroMayBeMissing() {
    c2c("c1", "u1-1", 1, 503, null);
    c2c("c1", "u1-2", 1, History.NO_ANSWER, null);
    c2s("q-1", 504, "300");
    catchUp("u2/101");

    assertEquals(List.of(), check());
  }

  @Test
  void aReceiverWithoutFinalCatchUpFails() {
    c2c("c1", "u1-1", 1, 0, "100");
    push("u2/101", "c9", "100", "u1-1");

    assertRules(Checker.CATCH_UP);
  }

  @Test
  void aResendAnsweredWithTheFirstMsgidAndDeliveredTwicePasses() {
    c2c("c1", "u1-1", 1, History.NO_ANSWER, null);
    c2c("c2", "u1-1", 2, 0, "100");
    push("u2/101", "c9", "100", "u1-1");
    push("u2/101", "c9", "100", "u1-1");
    pull("u2/101", "c10", "100", "u1-1");
    catchUp("u2/101");

    assertEquals(List.of(), check());
  }

  @Test
  void aResendAnsweredWithANewMsgidIsADuplicate() {
    c2c("c1", "u1-1", 1, 0, "100");
    c2c("c2", "u1-1", 2, 0, "105");
    push("u2/101", "c9", "100", "u1-1");
    push("u2/101", "c9", "105", "u1-1");
    catchUp("u2/101");

    assertRules(Checker.DUPLICATE, Checker.DUPLICATE);
  }

  @Test
  void oneMsgidForTwoMessagesFails() {
    c2c("c1", "u1-1", 1, 0, "100");
    s2c("u2/101", "s-1", 1, 0, "100");
    push("u2/101", "c9", "100", "u1-1");
    catchUp("u2/101");

    assertRules(Checker.MSGID_REUSED);
  }

  @Test
  void msgidsOfOneSenderConnectionMustGrowInSendOrder() {
    c2c("c1", "u1-1", 1, 0, "101");
    c2c("c1", "u1-2", 1, 0, "100");
    pull("u2/101", "c9", "100", "u1-2");
    pull("u2/101", "c9", "101", "u1-1");
    catchUp("u2/101");

    assertRules(Checker.SENDER_ORDER);
  }

  @Test
  void resendsAndOtherConnectionsAreNotHeldToTheSenderOrder() {
    c2c("c1", "u1-1", 1, 0, "101");
    c2c("c2", "u1-2", 1, 0, "100");
    c2c("c2", "u1-3", 1, 503, null);
    c2c("c2", "u1-3", 2, 0, "99");
    pull("u2/101", "c9", "99", "u1-3");
    pull("u2/101", "c9", "100", "u1-2");
    pull("u2/101", "c9", "101", "u1-1");
    catchUp("u2/101");

    assertEquals(List.of(), check());
  }

  @Test
  void pushesOfOneSenderConnectionMustArriveInMsgidOrder() {
    c2c("c1", "u1-1", 1, 0, "100");
    c2c("c1", "u1-2", 1, 0, "101");
    push("u2/101", "c9", "101", "u1-2");
    push("u2/101", "c9", "100", "u1-1");
    catchUp("u2/101");

    assertRules(Checker.RECEIVER_ORDER);
  }

  @Test
  void aResentPushAfterNewerOnesIsInOrder() {
    c2c("c1", "u1-1", 1, 0, "100");
    c2c("c1", "u1-2", 1, 0, "101");
    push("u2/101", "c9", "100", "u1-1");
    push("u2/101", "c9", "101", "u1-2");
    push("u2/101", "c9", "100", "u1-1");
    catchUp("u2/101");

    assertEquals(List.of(), check());
  }

  @Test
  void presenceOnANodeDownLongerThanTheBoundFails() {
    node("n1", "A", false, 1_000);
    presence(1_000 + BOUND - 1, "u1", "A");
    presence(1_000 + BOUND + 1, "u1", "A");

    assertRules(Checker.STALE_PRESENCE);
  }

  @Test
  void presenceOnANodeThatCameBackPasses() {
    node("n1", "A", false, 1_000);
    node("n1", "A", true, 5_000);
    presence(1_000 + BOUND + 1, "u1", "A");
    presence(1_000 + BOUND + 2, "u1", "B");

    assertEquals(List.of(), check());
  }

  @Test
  void aFaultTheClusterDidNotRecoverFromAndANodeThatCrashedFail() {
    history.add(
        event("fault")
            .put("id", 1)
            .put("kind", "split")
            .put("target", "n2")
            .put("phase", "unrecovered")
            .put("detail", "n2 lists the gates []"));
    history.add(event("crash").put("name", "n3"));

    assertRules(Checker.NOT_HEALED, Checker.CRASHED);
  }

  private List<Violation> check() {
    return new Checker(BOUND).check(history);
  }

  @Test
  void qos1C2sStoredResentAndDrainedLaterPasses() {
    durableC2s("k-1", 1, -1, null, null);
    durableC2s("k-1", 2, 0, "300", "stored");
    durableC2s("k-2", 1, 0, "301", "stored");
    handed("k-1", "300");
    handed("k-1", "300");
    handed("k-2", "301");

    assertEquals(List.of(), check());
  }

  @Test
  void aStoredQos1C2sTheBusinessNeverGotIsLost() {
    durableC2s("k-1", 1, 0, "300", "stored");

    assertRules(Checker.LOST);
  }

  @Test
  void aQos0C2sNotAnswered0MayBeMissing() {
    c2s("q-1", 503, "300");
    c2s("q-2", 504, "301");
    durableC2s("k-1", 1, 503, "302", null);

    assertEquals(List.of(), check());
  }

  @Test
  void resendsOfOneCmidAnsweredWithTwoMsgidsAreADuplicate() {
    durableC2s("k-1", 1, 0, "300", "stored");
    durableC2s("k-1", 2, 0, "305", "handed");
    handed("k-1", "300");
    handed("k-1", "305");

    assertRules(Checker.DUPLICATE, Checker.DUPLICATE);
  }

  @Test
  void aQos1C2sTheBusinessGotUnderTwoMsgidsIsADuplicate() {
    durableC2s("k-1", 1, 0, "300", "handed");
    handed("k-1", "300");
    handed("k-1", "301");

    assertRules(Checker.DUPLICATE);
  }

  @Test
  void qos1C2sHandedOverOutOfOrderBreakTheOrder() {
    durableC2s("k-1", 1, 0, "300", "stored");
    durableC2s("k-2", 1, 0, "301", "stored");
    handed("k-2", "301");
    handed("k-1", "300");

    assertRules(Checker.C2S_ORDER);
  }

  @Test
  void qos1C2sSentBeforeTheEarlierWasAnsweredHaveNoOrder() {
    durableC2s("k-1", 1, -1, null, null);
    durableC2s("k-2", 1, 0, "301", "handed");
    durableC2s("k-1", 2, 0, "300", "stored");
    handed("k-2", "301");
    handed("k-1", "300");

    assertEquals(List.of(), check());
  }

  @Test
  void theOrderIsPerSender() {
    durableC2s("k-1", 1, 0, "300", "stored");
    history.add(
        op("c2s")
            .put("from", "u3/101")
            .put("conn", "c3")
            .put("to", Checker.BUSINESS)
            .put("key", "k-3")
            .put("cmid", "k-3")
            .put("qos", 1)
            .put("attempt", 1)
            .put("code", 0)
            .put("msgid", "310")
            .put("status", "stored"));
    handed("k-3", "310");
    handed("k-1", "300");

    assertEquals(List.of(), check());
  }

  @Test
  void aC2gReachingEveryOtherMemberByPushOrFinalPullPasses() {
    group("order-1", "u1/101", "u2/101", "u3/101");
    c2g("u1/101", "order-1", "g-u1-1", 1, 503, null);
    c2g("u1/101", "order-1", "g-u1-1", 2, 0, "500");
    push("u2/101", "c9", "500", "g-u1-1", "c2g");
    push("u2/101", "c10", "500", "g-u1-1", "c2g");
    pull("u3/101", "c11", "500", "g-u1-1", "c2g");
    catchUp("u2/101");
    catchUp("u3/101");

    assertEquals(List.of(), check());
  }

  @Test
  void aC2gAMemberNeverGotIsLost() {
    group("order-1", "u1/101", "u2/101", "u3/101");
    c2g("u1/101", "order-1", "g-u1-1", 1, 0, "500");
    push("u2/101", "c9", "500", "g-u1-1", "c2g");
    catchUp("u2/101");
    catchUp("u3/101");

    List<Violation> violations = check();
    assertEquals(1, violations.size(), violations.toString());
    assertEquals(Checker.C2G_LOST, violations.get(0).rule());
    assertTrue(violations.get(0).detail().contains("u3/101"), violations.toString());
  }

  @Test
  void aC2gNotAnsweredZeroMayBeMissingAndAMemberThatMustReceiveMustCatchUp() {
    group("order-1", "u1/101", "u2/101");
    c2g("u1/101", "order-1", "g-u1-1", 1, History.NO_ANSWER, null);
    c2g("u1/101", "order-1", "g-u1-2", 1, 0, "501");
    push("u2/101", "c9", "501", "g-u1-2", "c2g");

    assertRules(Checker.CATCH_UP);
  }

  @Test
  void aC2gToAGroupNeverCreatedIsReported() {
    c2g("u1/101", "order-9", "g-u1-1", 1, 0, "500");

    assertRules(Checker.C2G_LOST);
  }

  @Test
  void resendsOfOneC2gCmidAnsweredWithTwoMsgidsBreakTheCmidRule() {
    group("order-1", "u1/101", "u2/101");
    c2g("u1/101", "order-1", "g-u1-1", 1, 0, "500");
    c2g("u1/101", "order-1", "g-u1-1", 2, 0, "502");
    push("u2/101", "c9", "500", "g-u1-1", "c2g");
    push("u2/101", "c9", "502", "g-u1-1", "c2g");
    catchUp("u2/101");

    List<Violation> violations = check();
    assertEquals(2, violations.size(), violations.toString());
    assertTrue(
        violations.stream().allMatch(v -> v.rule().equals(Checker.C2G_CMID)),
        violations.toString());
  }

  @Test
  void aMemberGettingOneC2gUnderTwoMsgidsBreaksTheCmidRule() {
    group("order-1", "u1/101", "u2/101");
    c2g("u1/101", "order-1", "g-u1-1", 1, 0, "500");
    push("u2/101", "c9", "500", "g-u1-1", "c2g");
    pull("u2/101", "c9", "503", "g-u1-1", "c2g");
    catchUp("u2/101");

    assertRules(Checker.C2G_CMID);
  }

  private void assertRules(String... rules) {
    List<String> found = check().stream().map(Violation::rule).toList();
    assertEquals(List.of(rules), found, check().toString());
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("ev", type).put("t", 0L);
  }

  private JsonObject op(String kind) {
    return event("op").put("id", ++ids).put("op", kind).put("from", "u1/101");
  }

  private void c2c(String conn, String cmid, int attempt, int code, String msgid) {
    JsonObject op =
        op("c2c")
            .put("conn", conn)
            .put("to", "u2/101")
            .put("key", cmid)
            .put("attempt", attempt)
            .put("code", code);
    if (msgid != null) {
      op.put("msgid", msgid);
    }
    history.add(op);
  }

  private void s2c(String to, String key, int qos, int code, String msgid) {
    history.add(
        op("s2c")
            .put("conn", "b-n1-1")
            .put("to", to)
            .put("key", key)
            .put("qos", qos)
            .put("code", code)
            .put("msgid", msgid));
  }

  private void c2s(String key, int code, String msgid) {
    history.add(
        op("c2s")
            .put("conn", "c1")
            .put("to", Checker.BUSINESS)
            .put("key", key)
            .put("code", code)
            .put("msgid", msgid));
  }

  private void durableC2s(String cmid, int attempt, int code, String msgid, String status) {
    JsonObject op =
        op("c2s")
            .put("conn", "c1")
            .put("to", Checker.BUSINESS)
            .put("key", cmid)
            .put("cmid", cmid)
            .put("qos", 1)
            .put("attempt", attempt)
            .put("code", code);
    if (msgid != null) {
      op.put("msgid", msgid);
    }
    if (status != null) {
      op.put("status", status);
    }
    history.add(op);
  }

  private void handed(String key, String msgid) {
    deliver(Checker.BUSINESS, "q-n1-1", "c2s", msgid, key);
  }

  private void group(String id, String... members) {
    JsonArray terms = new JsonArray();
    for (String member : members) {
      terms.add(member);
    }
    history.add(event("group").put("group", id).put("code", 0).put("members", terms));
  }

  private void c2g(String from, String group, String cmid, int attempt, int code, String msgid) {
    JsonObject op =
        op("c2g")
            .put("from", from)
            .put("conn", "c1")
            .put("group", group)
            .put("key", cmid)
            .put("attempt", attempt)
            .put("code", code);
    if (msgid != null) {
      op.put("msgid", msgid);
    }
    history.add(op);
  }

  private void push(String term, String conn, String msgid, String key, String kind) {
    deliver(term, conn, "push", msgid, key);
    history.get(history.size() - 1).put("kind", kind);
  }

  private void pull(String term, String conn, String msgid, String key, String kind) {
    deliver(term, conn, "pull", msgid, key);
    history.get(history.size() - 1).put("kind", kind);
  }

  private void push(String term, String conn, String msgid, String key) {
    deliver(term, conn, "push", msgid, key);
  }

  private void pull(String term, String conn, String msgid, String key) {
    deliver(term, conn, "pull", msgid, key);
  }

  private void deliver(String term, String conn, String via, String msgid, String key) {
    history.add(
        event("deliver")
            .put("term", term)
            .put("conn", conn)
            .put("via", via)
            .put("msgid", msgid)
            .put("key", key));
  }

  private void catchUp(String term) {
    history.add(event("catchup").put("term", term).put("ok", true));
  }

  private void node(String name, String vertx, boolean up, long t) {
    history.add(
        event("node")
            .put("t", t)
            .put("name", name)
            .put("vertx", vertx)
            .put("state", up ? "up" : "down"));
  }

  private void presence(long t, String uid, String node) {
    history.add(
        event("presence")
            .put("t", t)
            .put("recs", new JsonArray().add(new JsonArray().add(uid).add(101).add(node))));
  }
}
