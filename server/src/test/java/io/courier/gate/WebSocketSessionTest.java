package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.CourierClient;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions over the WebSocket gate with the project's Java client ({@link
 * CourierClient#connectWebSocket}): a user on the phone over TCP and on the web over WebSocket at
 * once, each terminal getting its own messages, and a WebSocket session in a conversation with a
 * TCP one.
 */
class WebSocketSessionTest {
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  @RegisterExtension static final NodeSide node = new NodeSide();

  @Test
  void aUserOnThePhoneOverTcpAndOnTheWebOverWebSocketGetsItsMessagesOnBoth() {
    String user = "both-" + RUN;
    String friend = "friend-" + RUN;
    TestSession phone = node.login(user, 101);
    TestSession web = node.loginWebSocket(user, 103);
    TestSession other = node.login(friend, 101);

    JsonObject toWeb = other.c2c(user, 103, "to-web-" + RUN, "on the web");
    JsonObject toPhone = other.c2c(user, 101, "to-phone-" + RUN, "on the phone");
    assertEquals(0, toWeb.getInteger("code"), toWeb.encode());
    assertEquals(0, toPhone.getInteger("code"), toPhone.encode());
    // 101 and 103 are one user system (the user app on a phone and on the web): each terminal gets
    // both messages, the one addressed to it and the other's copy
    Set<String> both = Set.of(toWeb.getString("msgid"), toPhone.getString("msgid"));
    assertEquals(
        both, Set.of(web.nextPush().getString("msgid"), web.nextPush().getString("msgid")));
    assertEquals(
        both, Set.of(phone.nextPush().getString("msgid"), phone.nextPush().getString("msgid")));

    JsonObject reply =
        web.c2c(friend, 101, "reply-" + RUN, "<font color=\"red\">from</font> the web");
    assertEquals(0, reply.getInteger("code"), reply.encode());
    JsonObject received = other.nextPush();
    assertEquals(reply.getString("msgid"), received.getString("msgid"));
    assertEquals(103, received.getInteger("from_appcode"));
    assertEquals("<font color=\"red\">from</font> the web", received.getString("content"));

    JsonObject history = web.history(friend, null, null);
    assertEquals(3, history.getJsonArray("msgs").size(), history.encode());
    assertEquals(0, web.request(Command.PING, new JsonObject()).getInteger("code"));
  }

  @Test
  void aStoppingNodeKicksItsWebSocketSessionsWith4002() throws TimeoutException {
    TestNode stopping = TestNode.start(node.vertx());
    String user = "drained-" + RUN;
    TestSession web = TestSession.loginWebSocket(node.client(), stopping, node.tokens(), user, 103);
    Future<Void> stopped = stopping.stopAsync();
    ServerFrame kick = web.nextFrame();
    assertEquals(Command.KICK, kick.command(), kick.toString());
    assertEquals(4002, kick.body().getInteger("code"));
    stopped.await(30, TimeUnit.SECONDS);
  }
}
