package io.courier.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.courier.client.CourierConnection;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.ClientSide;
import io.courier.testkit.CuttableProxy;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node on the production backends (Redis presence, MySQL store on two shards) whose backend goes
 * down and comes back, behind a proxy the test cuts: the codes clients get meanwhile, and recovery
 * without a restart.
 */
class BackendOutageTest {
  @RegisterExtension final ClientSide side = new ClientSide();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void withRedisDownLoginsGet503ExistingSessionsStayAndRecoveryNeedsNoRestart() {
    LocalServices.requireRedis();
    CuttableProxy redis = CuttableProxy.inFrontOfRedis(side.vertx());
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "presence",
                    new JsonObject()
                        .put("backend", "redis")
                        .put("redisUrl", "redis://127.0.0.1:" + redis.port())));
    TestSession online =
        TestSession.login(side.client(), node, side.tokens(), "outage-ann-" + run, 101);

    redis.cut();
    CourierConnection late = side.client().connect(node.gatePort(), "127.0.0.1").await();
    JsonObject refused =
        late.login("outage-ben-" + run, 101, side.tokens().valid("outage-ben-" + run, 101)).await();
    assertEquals(503, refused.getInteger("code"), refused.encode());
    assertEquals(
        0,
        online.connection().ping().await().getInteger("code"),
        "existing sessions stay connected");
    assertFalse(online.connection().closed().isComplete());

    redis.restore();
    JsonObject accepted =
        late.login("outage-ben-" + run, 101, side.tokens().valid("outage-ben-" + run, 101)).await();
    assertEquals(0, accepted.getInteger("code"), "the same connection logs in once Redis is back");
  }

  @Test
  void withMysqlDownMessagesGet503AndAreNeverAcknowledgedThenWorkAgain() {
    LocalServices.requireMysql();
    List<String> databases = List.of("courier_outage_0", "courier_outage_1");
    MySqlDatabases.recreate(side.vertx(), databases);
    CuttableProxy mysql = CuttableProxy.inFrontOfMysql(side.vertx());
    JsonArray shards = new JsonArray();
    databases.forEach(db -> shards.add(MySqlDatabases.uri("127.0.0.1", mysql.port(), db)));
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put("store", new JsonObject().put("backend", "mysql").put("mysqlShards", shards)));
    TestSession alice = TestSession.login(side.client(), node, side.tokens(), "outage-alice", 101);
    TestSession bob =
        TestSession.login(side.client(), node, side.tokens(), "outage-bob", 101, false);
    assertEquals(0, alice.c2c("outage-bob", 101, "before", "stored").getInteger("code"));

    mysql.cut();
    assertEquals(503, alice.c2c("outage-bob", 101, "during", "not stored").getInteger("code"));
    assertEquals(503, bob.pull(null, null).getInteger("code"));
    assertEquals(
        503,
        s2c(new JsonObject()
                .put("to_uid", "outage-bob")
                .put("to_appcode", 101)
                .put("msgtype", 1)
                .put("content", "qos 1"))
            .getInteger("code"));
    assertEquals(
        "pushed",
        s2c(new JsonObject()
                .put("to_uid", "outage-bob")
                .put("to_appcode", 101)
                .put("msgtype", 1)
                .put("content", "qos 0")
                .put("qos", 0))
            .getString("status"),
        "qos 0 needs no store");

    mysql.restore();
    JsonObject resent = alice.c2c("outage-bob", 101, "during", "not stored");
    assertEquals(
        0,
        resent.getInteger("code"),
        "the resend is accepted once MySQL is back: " + resent.encode());
    JsonObject page = bob.pull(null, null);
    assertEquals(0, page.getInteger("code"));
    List<String> contents =
        page.getJsonArray("msgs").stream().map(m -> ((JsonObject) m).getString("content")).toList();
    assertEquals(
        List.of("stored", "not stored"), contents, "nothing of the outage was half-stored");
    assertEquals(0, bob.request(Command.PING, new JsonObject()).getInteger("code"));
  }

  private JsonObject s2c(JsonObject body) {
    return side.vertx().eventBus().<JsonObject>request(Addresses.S2C, body).await().body();
  }
}
