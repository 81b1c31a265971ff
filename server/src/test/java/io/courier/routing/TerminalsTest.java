package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every terminal of a user in one user system sees the same conversation (docs/conversations.md):
 * end to end with the project's client, on one embedded node with the default systems (101, 102,
 * 103 are one user app).
 */
class TerminalsTest {
  @RegisterExtension static final NodeSide node = new NodeSide();

  @Test
  void twoTerminalsOfTheReceiverGetTheMessageOncePushedAndOncePulled() {
    // bob's iPhone (102) has logged in once, and is offline now
    node.login("t-bob", 102).close();
    TestSession bobAndroid = node.login("t-bob", 101);
    TestSession alice = node.login("t-alice", 101);

    JsonObject answer = alice.c2c("t-bob", 101, "m1", "hello on every phone");
    assertEquals(0, answer.getInteger("code"), answer.encode());
    String msgid = answer.getString("msgid");

    JsonObject pushed = bobAndroid.nextPush();
    assertEquals(msgid, pushed.getString("msgid"));
    assertNull(pushed.getValue("sync"), "the receiver's copy is no sync copy");

    TestSession bobIphone = node.login("t-bob", 102);
    JsonObject page = bobIphone.pull(null, null);
    assertEquals(List.of(msgid), msgids(page));
    JsonObject pulled = page.getJsonArray("msgs").getJsonObject(0);
    assertEquals("hello on every phone", pulled.getString("content"));
    assertEquals("t-alice", pulled.getString("from_uid"));
    assertEquals(101, pulled.getInteger("to_appcode"), "the terminal addressed");
    assertEquals(1, bobIphone.offlineAck(msgid).getInteger("removed"));
    assertEquals(List.of(), msgids(bobIphone.pull(null, null)));
    assertTrue(bobAndroid.noFrameWaiting(), "each terminal once");
  }

  @Test
  void theSendersOtherTerminalsGetASyncCopy() {
    TestSession aliceWeb = node.login("s-alice", 103);
    node.login("s-alice", 102).close();
    TestSession alice = node.login("s-alice", 101);
    TestSession carol = node.login("s-carol", 201);

    JsonObject answer = alice.c2c("s-carol", 201, "m1", "sent from my phone");
    assertEquals(0, answer.getInteger("code"), answer.encode());

    JsonObject sync = aliceWeb.nextPush();
    assertEquals(answer.getString("msgid"), sync.getString("msgid"));
    assertEquals(Boolean.TRUE, sync.getBoolean("sync"));
    assertEquals("s-alice", sync.getString("from_uid"));
    assertEquals("s-carol", sync.getString("to_uid"));
    assertEquals(201, sync.getInteger("to_appcode"));
    JsonObject toCarol = carol.nextPush();
    assertNull(toCarol.getValue("sync"));

    TestSession aliceIpad = node.login("s-alice", 102);
    JsonArray waiting = aliceIpad.pull(null, null).getJsonArray("msgs");
    assertEquals(1, waiting.size());
    assertEquals(Boolean.TRUE, waiting.getJsonObject(0).getBoolean("sync"));
    assertTrue(alice.noFrameWaiting(), "the sending terminal gets no copy");
    assertEquals(List.of(), msgids(alice.pull(null, null)));
  }

  @Test
  void aResendOfTheSameCmidReachesNoTerminalTwice() {
    node.login("r-bob", 102).close();
    TestSession alice = node.login("r-alice", 101);
    String msgid = alice.c2c("r-bob", 101, "m1", "once").getString("msgid");
    assertEquals(msgid, alice.c2c("r-bob", 101, "m1", "once").getString("msgid"));

    TestSession bobIphone = node.login("r-bob", 102);
    JsonObject page = bobIphone.pull(null, null);
    assertEquals(List.of(msgid), msgids(page));
    assertFalse(page.getBoolean("more"));
  }

  @Test
  void aTerminalOfAnotherSystemGetsNothing() {
    node.login("x-bob", 201).close();
    TestSession alice = node.login("x-alice", 101);
    String msgid = alice.c2c("x-bob", 101, "m1", "user app only").getString("msgid");

    assertEquals(List.of(), msgids(node.login("x-bob", 201).pull(null, null)));
    assertEquals(List.of(msgid), msgids(node.login("x-bob", 101).pull(null, null)));
  }

  private static List<String> msgids(JsonObject page) {
    assertEquals(0, page.getInteger("code"), page.encode());
    List<String> ids = new ArrayList<>();
    page.getJsonArray("msgs").forEach(m -> ids.add(((JsonObject) m).getString("msgid")));
    return ids;
  }
}
