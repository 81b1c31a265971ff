package io.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CourierClientTest {
  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void logsInPingsAndLogsOut() {
    TestNode node = TestNode.start(side.vertx());
    CourierConnection connection = side.client().connect(node.gatePort(), "127.0.0.1").await();
    JsonObject login = connection.login("alice", 101, side.tokens().valid("alice", 101)).await();
    assertEquals(0, login.getInteger("code"));
    assertEquals(30, login.getInteger("heartbeat"));
    assertTrue(login.getString("session").startsWith(node.node() + "."));
    assertEquals(0, connection.ping().await().getInteger("code"));
    assertEquals(
        0, connection.request(Command.LOGOUT, new JsonObject()).await().getInteger("code"));
    connection.closed().await();
  }

  @Test
  void olderSessionReceivesKickWhenReplaced() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    CourierConnection older = side.client().connect(node.gatePort(), "127.0.0.1").await();
    Promise<ServerFrame> kick = Promise.promise();
    older.serverFrameHandler(kick::tryComplete);
    older.login("bob", 201, side.tokens().valid("bob", 201)).await();
    CourierConnection newer = side.client().connect(node.gatePort(), "127.0.0.1").await();
    newer.login("bob", 201, side.tokens().valid("bob", 201)).await();

    ServerFrame frame =
        kick.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(Command.KICK, frame.command());
    assertEquals(Code.KICK_REPLACED.value(), frame.body().getInteger("code"));
    assertEquals("replaced", frame.body().getString("msg"));
    older.closed().await();
    assertEquals(0, newer.ping().await().getInteger("code"));
  }

  @Test
  void heartbeatKeepsAnIdleConnectionOpen() throws Exception {
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject().put("gate", new JsonObject().put("heartbeatSeconds", 1)));
    CourierConnection pinging = side.client().connect(node.gatePort(), "127.0.0.1").await();
    pinging.login("carol", 101, side.tokens().valid("carol", 101)).await();
    CourierConnection silent = side.client().connect(node.gatePort(), "127.0.0.1").await();
    Promise<ServerFrame> kick = Promise.promise();
    silent.serverFrameHandler(kick::tryComplete);
    silent
        .request(
            Command.LOGIN,
            new JsonObject()
                .put("uid", "dave")
                .put("appcode", 101)
                .put("token", side.tokens().valid("dave", 101)))
        .await();

    ServerFrame frame =
        kick.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Code.KICK_IDLE.value(), frame.body().getInteger("code"));
    silent.closed().await();
    assertFalse(pinging.closed().isComplete(), "the connection that pinged was closed too");
    assertEquals(0, pinging.ping().await().getInteger("code"));
  }
}
