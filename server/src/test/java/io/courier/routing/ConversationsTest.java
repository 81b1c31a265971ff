package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONVERSATIONS (docs/conversations.md) end to end with the project's client on one embedded node:
 * the list by last activity with exact unread counts while two peers send and two terminals of the
 * reader mark read, all at once.
 */
class ConversationsTest {
  private static final int SENT_EACH = 40;

  @RegisterExtension static final NodeSide node = new NodeSide();

  @Test
  void unreadCountsAreExactAfterConcurrentSendsAndReadsFromTwoTerminals() throws Exception {
    TestSession bobPhone = node.login("cv-bob", 101);
    TestSession bobWeb = node.login("cv-bob", 103);
    TestSession carol = node.login("cv-carol", 101);
    TestSession dave = node.login("cv-dave", 201);

    List<Future<JsonObject>> fromCarol = send(carol, "c");
    List<Future<JsonObject>> fromDave = send(dave, "d");
    // reads race the sends, from both terminals; the one with the older upto moves nothing
    List<Future<JsonObject>> reads =
        List.of(
            read(bobPhone, "cv-carol", 101, fromCarol.get(9)),
            read(bobWeb, "cv-carol", 101, fromCarol.get(24)),
            read(bobWeb, "cv-dave", 201, fromDave.get(19)),
            read(bobPhone, "cv-dave", 201, fromDave.get(4)));
    List<Future<?>> all = new ArrayList<>(fromCarol);
    all.addAll(fromDave);
    all.addAll(reads);
    Future.all(all).await(TestSession.WAIT_SECONDS, TimeUnit.SECONDS);
    String lastOfCarol = msgid(fromCarol.get(SENT_EACH - 1));
    String lastOfDave = msgid(fromDave.get(SENT_EACH - 1));
    JsonObject reply = bobPhone.c2c("cv-dave", 201, "r1", "on my way");

    JsonObject page = conversations(bobWeb, null, null);
    assertFalse(page.getBoolean("more"));
    JsonArray convs = page.getJsonArray("convs");
    assertEquals(2, convs.size());
    JsonObject withDave = convs.getJsonObject(0);
    assertEquals("cv-dave", withDave.getString("peer_uid"), "the most recent first");
    assertEquals(reply.getString("msgid"), withDave.getString("last_msgid"));
    assertEquals(msgid(fromDave.get(19)), withDave.getString("read_upto"));
    assertEquals(SENT_EACH - 20, withDave.getLong("unread"), "bob's own message is not unread");
    JsonObject last = withDave.getJsonObject("last");
    assertEquals("on my way", last.getString("content"));
    assertTrue(List.of("sent", "delivered").contains(last.getString("state")));
    JsonObject withCarol = convs.getJsonObject(1);
    assertEquals("cv-carol", withCarol.getString("peer_uid"));
    assertEquals(lastOfCarol, withCarol.getString("last_msgid"));
    assertEquals(msgid(fromCarol.get(24)), withCarol.getString("read_upto"));
    assertEquals(SENT_EACH - 25, withCarol.getLong("unread"));
    assertEquals("delivered", withCarol.getJsonObject("last").getString("state"));

    read(bobPhone, "cv-carol", 101, fromCarol.get(SENT_EACH - 1)).await();
    JsonObject first = conversations(bobPhone, null, 1);
    assertTrue(first.getBoolean("more"));
    String cursor = first.getJsonArray("convs").getJsonObject(0).getString("last_msgid");
    JsonArray next = conversations(bobPhone, cursor, 1).getJsonArray("convs");
    assertEquals("cv-carol", next.getJsonObject(0).getString("peer_uid"));
    assertEquals(0, next.getJsonObject(0).getLong("unread"));
    JsonObject davesView = conversations(dave, null, null).getJsonArray("convs").getJsonObject(0);
    assertEquals("cv-bob", davesView.getString("peer_uid"));
    assertEquals(reply.getString("msgid"), davesView.getString("last_msgid"));
    assertEquals(1, davesView.getLong("unread"), "bob's reply, after " + lastOfDave);
  }

  private List<Future<JsonObject>> send(TestSession sender, String prefix) {
    List<Future<JsonObject>> sent = new ArrayList<>();
    for (int i = 0; i < SENT_EACH; i++) {
      sent.add(
          sender
              .connection()
              .request(
                  Command.C2C,
                  new JsonObject()
                      .put("to_uid", "cv-bob")
                      .put("to_appcode", 101)
                      .put("cmid", prefix + i)
                      .put("msgtype", 1)
                      .put("content", prefix + " " + i)));
    }
    return sent;
  }

  private static Future<JsonObject> read(
      TestSession reader, String peer, int peerAppcode, Future<JsonObject> upTo) {
    return upTo.compose(
        answer ->
            reader
                .connection()
                .request(
                    Command.READ,
                    new JsonObject()
                        .put("peer_uid", peer)
                        .put("peer_appcode", peerAppcode)
                        .put("upto", answer.getString("msgid"))));
  }

  private static JsonObject conversations(TestSession session, String after, Integer limit) {
    JsonObject body = new JsonObject();
    if (after != null) {
      body.put("after", after);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    JsonObject page = session.request(Command.CONVERSATIONS, body);
    assertEquals(0, page.getInteger("code"), page.encode());
    return page;
  }

  private static String msgid(Future<JsonObject> answer) {
    assertEquals(0, answer.result().getInteger("code"), answer.result().encode());
    return answer.result().getString("msgid");
  }
}
