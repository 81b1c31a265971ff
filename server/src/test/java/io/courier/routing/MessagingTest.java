package io.courier.routing;

import static io.courier.testkit.TestSession.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The message flows end to end over real sockets, with the project's client, on one embedded node.
 */
class MessagingTest {
  @RegisterExtension
  static final NodeSide node =
      new NodeSide(new JsonObject().put("routing", new JsonObject().put("c2sTimeoutMs", 300)));

  @Test
  void c2cToAnOnlineUserIsPushedWithTheSendersIdentityAndLeavesTheOfflineStoreWhenAcked()
      throws Exception {
    TestSession alice = node.login("c2c-alice", 101);
    TestSession bob = node.login("c2c-bob", 101);
    Promise<JsonObject> acked = receipt("c2c-bob", "acked");

    JsonObject answer =
        alice.request(
            Command.C2C,
            new JsonObject()
                .put("to_uid", "c2c-bob")
                .put("to_appcode", 101)
                .put("cmid", "m1")
                .put("msgtype", 3)
                .put("content", "hello bob")
                .put("from_uid", "mallory")
                .put("from_appcode", 201));
    assertEquals(0, answer.getInteger("code"), answer.encode());

    JsonObject push = bob.nextPush();
    assertEquals(answer.getString("msgid"), push.getString("msgid"));
    assertEquals("c2c", push.getString("kind"));
    assertEquals(
        "c2c-alice", push.getString("from_uid"), "the sender is the session, never the body");
    assertEquals(101, push.getInteger("from_appcode"));
    assertEquals("c2c-bob", push.getString("to_uid"));
    assertEquals(101, push.getInteger("to_appcode"));
    assertEquals(3, push.getInteger("msgtype"));
    assertEquals("hello bob", push.getString("content"));
    assertEquals(answer.getLong("senddate"), push.getLong("senddate"));
    assertTrue(push.getString("logid").matches("[A-Za-z0-9_-]{8,64}"));

    assertEquals(answer.getString("msgid"), await(acked).getString("msgid"));
    JsonObject pulled = bob.pull(null, null);
    assertEquals(List.of(), msgids(pulled));
  }

  @Test
  void c2cToAnOfflineUserWaitsForItsPull() {
    TestSession alice = node.login("off-alice", 101);
    JsonObject answer = alice.c2c("off-carol", 201, "m1", "are you there?");
    assertEquals(0, answer.getInteger("code"));

    TestSession carol = node.login("off-carol", 201);
    JsonObject page = carol.pull(null, null);
    assertEquals(List.of(answer.getString("msgid")), msgids(page));
    assertFalse(page.getBoolean("more"));
    JsonObject message = page.getJsonArray("msgs").getJsonObject(0);
    assertEquals("off-alice", message.getString("from_uid"));
    assertEquals("are you there?", message.getString("content"));
    assertEquals(1, carol.offlineAck(answer.getString("msgid")).getInteger("removed"));
    assertEquals(List.of(), msgids(carol.pull(null, null)));
  }

  @Test
  void hundredAndTwentyOfflineMessagesArePulledInThreePagesOfFifty() {
    TestSession sender = node.login("page-sender", 101);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      sent.add(sender.c2c("page-dave", 101, "m" + i, "message " + i).getString("msgid"));
    }
    TestSession dave = node.login("page-dave", 101, false);
    List<String> received = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    String after = null;
    for (int pageNo = 0; pageNo < 3; pageNo++) {
      JsonObject page = dave.pull(after, 50);
      List<String> ids = msgids(page);
      received.addAll(ids);
      more.add(page.getBoolean("more"));
      after = ids.get(ids.size() - 1);
    }
    assertEquals(List.of(true, true, false), more);
    assertEquals(sent, received, "every message exactly once, in msgid order");
    for (int i = 1; i < received.size(); i++) {
      assertTrue(
          Long.compareUnsigned(
                  Long.parseUnsignedLong(received.get(i - 1)),
                  Long.parseUnsignedLong(received.get(i)))
              < 0);
    }
    assertEquals(sent, msgids(dave.pull(null, 500)), "a limit above 200 is served as 200");
  }

  @Test
  void offlineAckRemovesOnlyUpToTheGivenMsgid() {
    TestSession sender = node.login("ack-sender", 101);
    String first = sender.c2c("ack-erin", 101, "a", "1").getString("msgid");
    String second = sender.c2c("ack-erin", 101, "b", "2").getString("msgid");
    String third = sender.c2c("ack-erin", 101, "c", "3").getString("msgid");
    TestSession erin = node.login("ack-erin", 101, false);
    assertEquals(List.of(first, second, third), msgids(erin.pull(null, null)));

    assertEquals(2, erin.offlineAck(second).getInteger("removed"));
    assertEquals(List.of(third), msgids(erin.pull(null, null)));
    assertEquals(0, erin.offlineAck(second).getInteger("removed"));
  }

  @Test
  void offlineMessagesBelongToOneAppcodeOfTheReceiver() {
    TestSession sender = node.login("app-sender", 101);
    String msgid = sender.c2c("app-fay", 101, "x", "for the android app").getString("msgid");
    TestSession web = node.login("app-fay", 103, false);
    assertEquals(List.of(), msgids(web.pull(null, null)));
    TestSession android = node.login("app-fay", 101, false);
    assertEquals(List.of(msgid), msgids(android.pull(null, null)));
  }

  @Test
  void historyIsSeenByBothOwnersAndByAnotherTerminalNewestFirst() {
    TestSession gina = node.login("hist-gina", 101);
    TestSession hank = node.login("hist-hank", 301);
    String m1 = gina.c2c("hist-hank", 301, "1", "hi").getString("msgid");
    String m2 = hank.c2c("hist-gina", 101, "2", "hello").getString("msgid");
    String m3 = gina.c2c("hist-hank", 301, "3", "bye").getString("msgid");

    assertEquals(List.of(m3, m2, m1), msgids(gina.history("hist-hank", null, null)));
    assertEquals(List.of(m3, m2, m1), msgids(hank.history("hist-gina", null, null)));
    TestSession ginaOnWeb = node.login("hist-gina", 103);
    JsonObject page = ginaOnWeb.history("hist-hank", null, 2);
    assertEquals(List.of(m3, m2), msgids(page));
    assertTrue(page.getBoolean("more"));
    JsonObject rest = ginaOnWeb.history("hist-hank", m2, 2);
    assertEquals(List.of(m1), msgids(rest));
    assertFalse(rest.getBoolean("more"));
    assertEquals("c2c", rest.getJsonArray("msgs").getJsonObject(0).getString("kind"));
  }

  @Test
  void resendWithTheSameCmidReturnsTheFirstMessageAndCreatesNoSecond() {
    TestSession ivan = node.login("cmid-ivan", 101);
    TestSession judy = node.login("cmid-judy", 101);
    JsonObject first = ivan.c2c("cmid-judy", 101, "same", "once");
    JsonObject again = ivan.c2c("cmid-judy", 101, "same", "once");
    assertEquals(first.getString("msgid"), again.getString("msgid"));
    assertEquals(first.getLong("senddate"), again.getLong("senddate"));
    String marker = ivan.c2c("cmid-judy", 101, "other", "marker").getString("msgid");

    assertEquals(first.getString("msgid"), judy.nextPush().getString("msgid"));
    assertEquals(marker, judy.nextPush().getString("msgid"), "the resend was not pushed again");
    assertEquals(
        List.of(marker, first.getString("msgid")), msgids(ivan.history("cmid-judy", null, null)));
  }

  @Test
  void contentIsSanitizedAsCourierRichText() {
    TestSession kim = node.login("rich-kim", 101);
    TestSession lee = node.login("rich-lee", 101);
    kim.c2c(
        "rich-lee",
        101,
        "x",
        "<script>alert(1)</script><font color=RED onclick=\"x()\">hi</font><shake/>");
    assertEquals(
        "&lt;script&gt;alert(1)&lt;/script&gt;<font color=\"red\">hi</font><shake />",
        lee.nextPush().getString("content"));
  }

  @Test
  void badC2cBodiesGetTheirCodesAndTheConnectionStaysOpen() {
    TestSession mia = node.login("bad-mia", 101);
    assertEquals(413, mia.c2c("bad-ned", 101, "big", "x".repeat(16 * 1024 + 1)).getInteger("code"));
    assertEquals(0, mia.c2c("bad-ned", 101, "fits", "é".repeat(8 * 1024)).getInteger("code"));
    assertEquals(
        400,
        mia.request(
                Command.C2C,
                new JsonObject()
                    .put("to_uid", "bad-ned")
                    .put("to_appcode", 101)
                    .put("msgtype", 1)
                    .put("content", "no cmid"))
            .getInteger("code"));
    assertEquals(400, mia.c2c("bad ned", 101, "c", "bad uid").getInteger("code"));
    assertEquals(403, mia.c2c("bad-ned", 999, "c", "unknown app").getInteger("code"));
    assertEquals(0, mia.connection().ping().await().getInteger("code"));
  }

  @Test
  void s2cIsPushedToAnOnlineUserAndStoredForAnOfflineOne() {
    TestSession olga = node.login("s2c-olga", 201);
    JsonObject pushed =
        s2c(
            new JsonObject()
                .put("to_uid", "s2c-olga")
                .put("to_appcode", 201)
                .put("msgtype", 9)
                .put("content", "{\"order\":42}")
                .put("logid", "order-42-trace"));
    assertEquals(0, pushed.getInteger("code"));
    assertEquals("pushed", pushed.getString("status"));
    JsonObject push = olga.nextPush();
    assertEquals(pushed.getString("msgid"), push.getString("msgid"));
    assertEquals("s2c", push.getString("kind"));
    assertEquals("{\"order\":42}", push.getString("content"));
    assertEquals("order-42-trace", push.getString("logid"));

    JsonObject stored =
        s2c(
            new JsonObject()
                .put("to_uid", "s2c-pete")
                .put("to_appcode", 201)
                .put("msgtype", 9)
                .put("content", "offline order"));
    assertEquals("stored", stored.getString("status"));
    TestSession pete = node.login("s2c-pete", 201, false);
    assertEquals(List.of(stored.getString("msgid")), msgids(pete.pull(null, null)));
  }

  @Test
  void s2cQos0IsPushedWhenOnlineAndNeverStored() {
    TestSession quinn = node.login("qos0-quinn", 201);
    JsonObject live =
        s2c(
            new JsonObject()
                .put("to_uid", "qos0-quinn")
                .put("to_appcode", 201)
                .put("msgtype", 2)
                .put("content", "lat=1,lng=2")
                .put("qos", 0));
    assertEquals("pushed", live.getString("status"));
    assertEquals(live.getString("msgid"), quinn.nextPush().getString("msgid"));
    assertEquals(List.of(), msgids(quinn.pull(null, null)));

    JsonObject dropped =
        s2c(
            new JsonObject()
                .put("to_uid", "qos0-rose")
                .put("to_appcode", 201)
                .put("msgtype", 2)
                .put("content", "lat=1,lng=2")
                .put("qos", 0));
    assertEquals(0, dropped.getInteger("code"));
    assertEquals("dropped", dropped.getString("status"));
    assertEquals(List.of(), msgids(node.login("qos0-rose", 201, false).pull(null, null)));
  }

  @Test
  void aQos0PushIsMarkedSoThatTheClientNeedNotAckIt() {
    TestSession vic = node.login("qos0-vic", 201, false);
    JsonObject position =
        s2c(
            new JsonObject()
                .put("to_uid", "qos0-vic")
                .put("to_appcode", 201)
                .put("msgtype", 2)
                .put("content", "lat=1,lng=2")
                .put("qos", 0));
    JsonObject order =
        s2c(
            new JsonObject()
                .put("to_uid", "qos0-vic")
                .put("to_appcode", 201)
                .put("msgtype", 9)
                .put("content", "order 12"));

    JsonObject first = vic.nextPush();
    assertEquals(position.getString("msgid"), first.getString("msgid"));
    assertEquals(0, first.getInteger("qos"));
    JsonObject second = vic.nextPush();
    assertEquals(order.getString("msgid"), second.getString("msgid"));
    assertFalse(second.containsKey("qos"), "a qos-1 PUSH carries no qos and must be acked");
    // neither was acked: only the qos-1 message waits offline
    assertEquals(List.of(order.getString("msgid")), msgids(vic.pull(null, null)));
  }

  @Test
  void s2cMultiReportsEachReceiver() {
    TestSession sam = node.login("multi-sam", 201);
    TestSession tom = node.login("multi-tom", 201);
    JsonObject answer =
        request(
            Addresses.S2C_MULTI,
            new JsonObject()
                .put("to_uids", new JsonArray().add("multi-sam").add("multi-tom").add("multi-uma"))
                .put("to_appcode", 201)
                .put("msgtype", 5)
                .put("content", "order 7 near you"));
    assertEquals(0, answer.getInteger("code"), answer.encode());
    JsonArray results = answer.getJsonArray("results");
    assertEquals(
        List.of("multi-sam", "multi-tom", "multi-uma"),
        results.stream().map(r -> ((JsonObject) r).getString("to_uid")).toList());
    assertEquals(
        List.of("pushed", "pushed", "stored"),
        results.stream().map(r -> ((JsonObject) r).getString("status")).toList());
    assertEquals(results.getJsonObject(0).getString("msgid"), sam.nextPush().getString("msgid"));
    assertEquals(results.getJsonObject(1).getString("msgid"), tom.nextPush().getString("msgid"));
  }

  @Test
  void badS2cRequestsGetTheirCodes() {
    assertEquals(
        400,
        s2c(new JsonObject().put("to_appcode", 201).put("msgtype", 1).put("content", "x"))
            .getInteger("code"));
    assertEquals(
        413,
        s2c(new JsonObject()
                .put("to_uid", "u")
                .put("to_appcode", 201)
                .put("msgtype", 1)
                .put("content", "x".repeat(16385)))
            .getInteger("code"));
    assertEquals(
        400,
        s2c(new JsonObject()
                .put("to_uid", "u")
                .put("to_appcode", 201)
                .put("msgtype", 1)
                .put("content", "x")
                .put("qos", 2))
            .getInteger("code"));
    assertEquals(
        400,
        request(
                Addresses.S2C_MULTI,
                new JsonObject()
                    .put("to_uids", new JsonArray())
                    .put("to_appcode", 201)
                    .put("msgtype", 1)
                    .put("content", "x"))
            .getInteger("code"));
  }

  @Test
  void c2sIsAnsweredOnceAConsumerAccepted() throws Exception {
    Promise<JsonObject> handed = Promise.promise();
    node.<JsonObject>consumer(
        "courier.c2s.201.7",
        message -> {
          handed.tryComplete(message.body());
          message.reply(new JsonObject().put("code", 0));
        });
    TestSession driver = node.login("c2s-driver", 201);
    JsonObject answer =
        driver.request(
            Command.C2S, new JsonObject().put("msgtype", 7).put("content", "lat=3,lng=4"));
    assertEquals(0, answer.getInteger("code"), answer.encode());
    JsonObject message = await(handed);
    assertEquals(answer.getString("msgid"), message.getString("msgid"));
    assertEquals("c2s-driver", message.getString("from_uid"));
    assertEquals(201, message.getInteger("from_appcode"));
    assertEquals(7, message.getInteger("msgtype"));
    assertEquals("lat=3,lng=4", message.getString("content"));
    assertTrue(message.containsKey("senddate") && message.containsKey("logid"));
  }

  @Test
  void c2sWithoutConsumerIs503AndWithASilentConsumerIs504() {
    TestSession driver = node.login("c2s-lonely", 201);
    assertEquals(
        503,
        driver
            .request(Command.C2S, new JsonObject().put("msgtype", 8).put("content", "x"))
            .getInteger("code"));
    node.consumer("courier.c2s.201.9", message -> {});
    assertEquals(
        504,
        driver
            .request(Command.C2S, new JsonObject().put("msgtype", 9).put("content", "x"))
            .getInteger("code"));
  }

  @Test
  void presenceListsTheSessionsOfAUser() {
    node.login("pres-vic", 101);
    node.login("pres-vic", 103);
    JsonObject answer = request(Addresses.PRESENCE, new JsonObject().put("uid", "pres-vic"));
    assertEquals(0, answer.getInteger("code"));
    assertEquals(
        List.of(101, 103),
        answer.getJsonArray("sessions").stream()
            .map(s -> ((JsonObject) s).getInteger("appcode"))
            .toList());
    assertEquals(
        node.testNode().node(), answer.getJsonArray("sessions").getJsonObject(0).getString("node"));
    assertEquals(
        List.of(),
        request(Addresses.PRESENCE, new JsonObject().put("uid", "pres-nobody"))
            .getJsonArray("sessions")
            .getList());
  }

  private JsonObject s2c(JsonObject body) {
    return request(Addresses.S2C, body);
  }

  private static JsonObject request(String address, JsonObject body) {
    return node.vertx().eventBus().<JsonObject>request(address, body).await().body();
  }

  /** Completes with the first receipt of {@code status} for {@code toUid}. */
  private Promise<JsonObject> receipt(String toUid, String status) {
    Promise<JsonObject> promise = Promise.promise();
    node.<JsonObject>consumer(
        Addresses.RECEIPTS,
        message -> {
          if (toUid.equals(message.body().getString("to_uid"))
              && status.equals(message.body().getString("status"))) {
            promise.tryComplete(message.body());
          }
        });
    return promise;
  }

  static List<String> msgids(JsonObject page) {
    assertEquals(0, page.getInteger("code"), page.encode());
    return page.getJsonArray("msgs").stream()
        .map(m -> ((JsonObject) m).getString("msgid"))
        .toList();
  }
}
