package io.courier.routing;

import static io.courier.testkit.TestSession.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * READ, read receipts and the {@code state} of entries (docs/conversations.md), end to end with the
 * project's client on one embedded node.
 */
class ReadStateTest {
  @RegisterExtension static final NodeSide node = new NodeSide();

  @Test
  void statesGoFromSentToDeliveredToReadAndBothUsersTerminalsHearOfTheRead() throws Exception {
    TestSession alice = node.login("rs-alice", 101);
    TestSession bob = node.login("rs-bob", 101);
    TestSession bobWeb = node.login("rs-bob", 103);
    Promise<JsonObject> secondAcked =
        receipt(
            r -> "rs-bob".equals(r.getString("to_uid")) && "acked".equals(r.getString("status")),
            2);
    String first = alice.c2c("rs-bob", 101, "m1", "one").getString("msgid");
    String second = alice.c2c("rs-bob", 101, "m2", "two").getString("msgid");
    JsonObject pushed = bob.nextPush();
    assertEquals("delivered", pushed.getString("state"), "the receiver has it");
    bob.nextPush();
    bobWeb.nextPush();
    bobWeb.nextPush();
    await(secondAcked);
    assertEquals(List.of("delivered", "delivered"), states(alice.history("rs-bob", null, null)));

    Promise<JsonObject> business =
        receipt(
            r -> "rs-bob".equals(r.getString("to_uid")) && "read".equals(r.getString("status")), 1);
    JsonObject answer = read(bob, "rs-alice", 101, second);
    assertEquals(0, answer.getInteger("code"), answer.encode());
    assertEquals(second, answer.getString("read_upto"));

    JsonObject receipt = alice.nextPush();
    assertEquals("read", receipt.getString("kind"));
    assertEquals("rs-bob", receipt.getString("from_uid"));
    assertEquals(second, receipt.getString("content"), "read up to this msgid");
    JsonObject onWeb = bobWeb.nextPush();
    assertEquals("read", onWeb.getString("kind"));
    assertEquals(Boolean.TRUE, onWeb.getBoolean("sync"), "the reader's other terminal");
    JsonObject published = await(business);
    assertEquals(second, published.getString("msgid"));
    assertEquals("rs-alice", published.getString("peer_uid"));

    assertEquals(List.of("read", "read"), states(alice.history("rs-bob", null, null)));
    assertEquals(List.of("read", "read"), states(bob.history("rs-alice", null, null)));
    JsonObject older = read(bob, "rs-alice", 101, first);
    assertEquals(second, older.getString("read_upto"), "a read position never goes back");
    assertTrue(alice.noFrameWaiting(), "an older READ tells nobody");
  }

  @Test
  void anOfflineReceiversMessageIsSentUntilItsPullGivesIt() {
    TestSession alice = node.login("so-alice", 101);
    String msgid = alice.c2c("so-bob", 201, "m1", "are you there").getString("msgid");
    assertEquals(List.of("sent"), states(alice.history("so-bob", null, null)));

    TestSession bob = node.login("so-bob", 201);
    JsonObject page = bob.pull(null, null);
    assertEquals(List.of("delivered"), states(page));
    assertEquals(List.of("delivered"), states(alice.history("so-bob", null, null)));

    read(bob, "so-alice", 101, msgid);
    assertEquals(List.of("read"), states(bob.history("so-alice", null, null)));
    assertEquals(List.of("read"), states(bob.pull(null, null)), "read on a terminal: read");
  }

  @Test
  void aReadBeyondTheNewestMessageMarksWhatExistsNotWhatComesLater() {
    TestSession alice = node.login("rb-alice", 101);
    TestSession bob = node.login("rb-bob", 201);
    String first = alice.c2c("rb-bob", 201, "m1", "one").getString("msgid");
    bob.nextPush();

    JsonObject answer = read(bob, "rb-alice", 101, Long.toString(Long.MAX_VALUE));
    assertEquals(first, answer.getString("read_upto"), "up to the newest message");
    assertEquals("read", alice.nextPush().getString("kind"));
    alice.c2c("rb-bob", 201, "m2", "two");
    bob.nextPush();

    List<String> states = states(alice.history("rb-bob", null, null));
    assertNotEquals("read", states.get(0), "the message sent after the READ is not read");
    assertEquals("read", states.get(1));
  }

  @Test
  void aReadOfAConversationTheReaderDoesNotHaveMarksNothingAndTellsNobody() {
    TestSession mallory = node.login("rn-mallory", 101);
    TestSession stranger = node.login("rn-stranger", 101);

    JsonObject answer = read(mallory, "rn-stranger", 101, "12345");
    assertEquals(0, answer.getInteger("code"), answer.encode());
    assertEquals("0", answer.getString("read_upto"));

    assertTrue(stranger.noFrameWaiting(), "no read receipt for a stranger");
    JsonObject list = mallory.request(Command.CONVERSATIONS, new JsonObject());
    assertEquals(0, list.getJsonArray("convs").size(), list.encode());
  }

  private JsonObject read(TestSession reader, String peer, int peerAppcode, String upto) {
    return reader.request(
        Command.READ,
        new JsonObject().put("peer_uid", peer).put("peer_appcode", peerAppcode).put("upto", upto));
  }

  /** Completes with the {@code count}th receipt that {@code wanted} accepts. */
  private Promise<JsonObject> receipt(Predicate<JsonObject> wanted, int count) {
    Promise<JsonObject> promise = Promise.promise();
    int[] seen = {0};
    node.<JsonObject>consumer(
        Addresses.RECEIPTS,
        message -> {
          if (wanted.test(message.body()) && ++seen[0] == count) {
            promise.tryComplete(message.body());
          }
        });
    return promise;
  }

  private static List<String> states(JsonObject page) {
    assertEquals(0, page.getInteger("code"), page.encode());
    return page.getJsonArray("msgs").stream()
        .map(m -> ((JsonObject) m).getString("state"))
        .toList();
  }
}
