package io.courier.client;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CourierClientTest {
  private Vertx vertx;
  private CourierClient client;
  private Tokens tokens;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    tokens = new Tokens(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close().await();
    vertx.close().await();
  }

  @Test
  void logsInPingsAndLogsOut() {
    TestNode node = TestNode.start(vertx);
    CourierConnection connection = client.connect(node.gatePort(), "127.0.0.1").await();
    JsonObject login = connection.login("alice", 101, tokens.valid("alice", 101)).await();
    assertEquals(0, login.getInteger("code"));
    assertEquals(30, login.getInteger("heartbeat"));
    assertTrue(login.getString("session").startsWith(node.node() + "."));
    assertEquals(0, connection.ping().await().getInteger("code"));
    assertEquals(0, connection.request(Command.LOGOUT, new JsonObject()).await().getInteger("code"));
    connection.closed().await();
  }

  @Test
  void olderSessionReceivesKickWhenReplaced() throws Exception {
    TestNode node = TestNode.start(vertx);
    CourierConnection older = client.connect(node.gatePort(), "127.0.0.1").await();
    Promise<ServerFrame> kick = Promise.promise();
    older.serverFrameHandler(kick::tryComplete);
    older.login("bob", 201, tokens.valid("bob", 201)).await();
    CourierConnection newer = client.connect(node.gatePort(), "127.0.0.1").await();
    newer.login("bob", 201, tokens.valid("bob", 201)).await();

    ServerFrame frame = kick.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(Command.KICK, frame.command());
    assertEquals(Code.KICK_REPLACED.value(), frame.body().getInteger("code"));
    assertEquals("replaced", frame.body().getString("msg"));
    older.closed().await();
    assertEquals(0, newer.ping().await().getInteger("code"));
  }

  @Test
  void heartbeatKeepsAnIdleConnectionOpen() throws Exception {
    TestNode node = TestNode.start(vertx, new JsonObject().put("gate", new JsonObject().put("heartbeatSeconds", 1)));
    CourierConnection pinging = client.connect(node.gatePort(), "127.0.0.1").await();
    pinging.login("carol", 101, tokens.valid("carol", 101)).await();
    CourierConnection silent = client.connect(node.gatePort(), "127.0.0.1").await();
    Promise<ServerFrame> kick = Promise.promise();
    silent.serverFrameHandler(kick::tryComplete);
    silent.request(Command.LOGIN, new JsonObject().put("uid", "dave").put("appcode", 101)
      .put("token", tokens.valid("dave", 101))).await();

    ServerFrame frame = kick.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Code.KICK_IDLE.value(), frame.body().getInteger("code"));
    silent.closed().await();
    assertFalse(pinging.closed().isComplete(), "the connection that pinged was closed too");
    assertEquals(0, pinging.ping().await().getInteger("code"));
  }
}
