package io.courier.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.store.Shards;
import io.courier.testkit.ClientSide;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node on the production backends — Redis presence, MySQL store on two shards — serving the
 * client flows, with its data visibly where the docs say: the session in Redis, the rows in the
 * shard of their uid.
 */
class ProductionBackendsTest {
  private static final List<String> SHARDS = List.of("courier_prod_0", "courier_prod_1");
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  @RegisterExtension final ClientSide side = new ClientSide();
  private TestNode node;

  @BeforeEach
  void startNode() {
    LocalServices.requireRedis();
    LocalServices.requireMysql();
    MySqlDatabases.recreate(side.vertx(), SHARDS);
    JsonArray shards = new JsonArray();
    SHARDS.forEach(db -> shards.add(MySqlDatabases.uri(db)));
    node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "presence",
                    new JsonObject()
                        .put("backend", "redis")
                        .put("redisUrl", LocalServices.REDIS_URL))
                .put("store", new JsonObject().put("backend", "mysql").put("mysqlShards", shards)));
  }

  @Test
  void theFlowsWorkAndTheDataIsInRedisAndInBothShards() {
    String alice = uidOnShard(0, "prod-alice");
    String bob = uidOnShard(1, "prod-bob");
    String carol = uidOnShard(0, "prod-carol");
    TestSession aliceSession = TestSession.login(side.client(), node, side.tokens(), alice, 101);
    TestSession bobSession = TestSession.login(side.client(), node, side.tokens(), bob, 101);

    String online = aliceSession.c2c(bob, 101, "m1", "to bob, online").getString("msgid");
    assertEquals(online, bobSession.nextPush().getString("msgid"));
    String offline = aliceSession.c2c(carol, 101, "m2", "to carol, offline").getString("msgid");
    JsonObject s2c =
        side.vertx()
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", carol)
                    .put("to_appcode", 101)
                    .put("msgtype", 2)
                    .put("content", "order"))
            .await()
            .body();
    assertEquals("stored", s2c.getString("status"));

    TestSession carolSession =
        TestSession.login(side.client(), node, side.tokens(), carol, 101, false);
    JsonObject page = carolSession.pull(null, null);
    assertEquals(
        List.of(offline, s2c.getString("msgid")),
        page.getJsonArray("msgs").stream().map(m -> ((JsonObject) m).getString("msgid")).toList());
    assertEquals(2, carolSession.offlineAck(s2c.getString("msgid")).getInteger("removed"));
    assertEquals(
        List.of(online),
        bobSession.history(alice, null, null).getJsonArray("msgs").stream()
            .map(m -> ((JsonObject) m).getString("msgid"))
            .toList());

    Redis redis = Redis.createClient(side.vertx(), LocalServices.REDIS_URL);
    try {
      Response sessions =
          redis.send(Request.cmd(Command.HGETALL).arg("courier:presence:" + bob)).await();
      assertTrue(sessions.getKeys().contains("101"), "bob's session is in Redis: " + sessions);
      assertTrue(
          sessions.get("101").toString().startsWith(node.node() + "|"),
          sessions.get("101").toString());
    } finally {
      redis.close().await();
    }
    // history rows live on the owner's shard: alice's copies on shard 0, bob's on shard 1
    assertEquals(List.of(alice, alice, carol), owners(0));
    assertEquals(List.of(bob), owners(1));
  }

  private List<String> owners(int shard) {
    Pool pool =
        MySQLBuilder.pool()
            .connectingTo(MySqlDatabases.uri(SHARDS.get(shard)))
            .using(side.vertx())
            .build();
    try {
      List<String> owners = new ArrayList<>();
      pool.query("SELECT owner_uid FROM user_message ORDER BY owner_uid, msgid")
          .execute()
          .await()
          .forEach(row -> owners.add(row.getString("owner_uid")));
      return owners;
    } finally {
      pool.close().await();
    }
  }

  private String uidOnShard(int shard, String prefix) {
    for (int i = 0; ; i++) {
      String uid = prefix + "-" + run + "-" + i;
      if (Shards.of(uid, SHARDS.size()) == shard) {
        return uid;
      }
    }
  }
}
