package io.courier.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.store.Shards;
import io.courier.testkit.ClientSide;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A C2C message whose msgid was taken before a newer message's, but which commits on the receiver's
 * shard after the receiver's PULL cursor passed it (the sender's shard was slow), on a node with
 * two MySQL shards: the receiver paging with {@code after} and acknowledging with {@code upto}, as
 * a version-1 client does, still gets it.
 */
class CrossShardPullTest {
  private static final List<String> SHARDS = List.of("courier_cursor_0", "courier_cursor_1");
  private static final long WAIT_SECONDS = 10;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  @RegisterExtension final ClientSide side = new ClientSide();
  private TestNode node;
  private Pool shard0;

  @BeforeEach
  void startNode() {
    LocalServices.requireMysql();
    MySqlDatabases.recreate(side.vertx(), SHARDS);
    JsonArray shards = new JsonArray();
    SHARDS.forEach(db -> shards.add(MySqlDatabases.uri(db)));
    node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put("store", new JsonObject().put("backend", "mysql").put("mysqlShards", shards)));
    shard0 =
        MySQLBuilder.pool()
            .connectingTo(MySqlDatabases.uri(SHARDS.get(0)))
            .using(side.vertx())
            .build();
  }

  @AfterEach
  void closePool() {
    if (shard0 != null) {
      shard0.close().await();
    }
  }

  @Test
  void aMessageCommittedAfterThePullCursorPassedItIsPulledAndNotRemovedUnseen() throws Exception {
    String slowSender = uidOnShard(0, "cursor-slow");
    String fastSender = uidOnShard(1, "cursor-fast");
    String receiver = uidOnShard(1, "cursor-receiver");
    TestSession slow = TestSession.login(side.client(), node, side.tokens(), slowSender, 101);
    TestSession fast = TestSession.login(side.client(), node, side.tokens(), fastSender, 101);
    TestSession reader =
        TestSession.login(side.client(), node, side.tokens(), receiver, 101, false);

    SqlConnection lock = shard0.getConnection().await();
    Future<JsonObject> lateAnswer;
    String newer;
    try {
      String database =
          lock.query("SELECT DATABASE() AS db").execute().await().iterator().next().getString("db");
      // the sender's half of a cross-shard C2C (its history row on shard 0) waits for this lock
      lock.query("LOCK TABLES user_message READ").execute().await();
      lateAnswer = slow.connection().request(Command.C2C, c2c(receiver, "late"));
      awaitBlockedWrite(database);

      newer = fast.c2c(receiver, 101, "newer", "newer").getString("msgid");
      assertEquals(List.of(newer), msgids(reader.pull(null, null)));
      assertEquals(1, reader.offlineAck(newer).getInteger("removed"));
    } finally {
      lock.query("UNLOCK TABLES").execute().await();
      lock.close().await();
    }
    JsonObject late = lateAnswer.await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(0, late.getInteger("code"), late.encode());
    String lateMsgid = late.getString("msgid");
    assertTrue(
        Long.compareUnsigned(Long.parseUnsignedLong(lateMsgid), Long.parseUnsignedLong(newer)) < 0,
        "the late message's msgid is below the cursor");

    assertEquals(
        0,
        reader.offlineAck(newer).getInteger("removed"),
        "upto does not remove a message the client was never given");
    assertEquals(List.of(lateMsgid), msgids(reader.pull(newer, null)));
    JsonObject listed =
        reader.request(
            Command.OFFLINE_ACK, new JsonObject().put("msgids", new JsonArray().add(lateMsgid)));
    assertEquals(1, listed.getInteger("removed"), listed.encode());
    assertEquals(List.of(), msgids(reader.pull(null, null)));
  }

  private static JsonObject c2c(String to, String cmid) {
    return new JsonObject()
        .put("to_uid", to)
        .put("to_appcode", 101)
        .put("cmid", cmid)
        .put("msgtype", 1)
        .put("content", cmid);
  }

  /** Waits until a statement on {@code database} waits for the table lock. */
  private void awaitBlockedWrite(String database) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (shard0
            .preparedQuery(
                "SELECT COUNT(*) AS n FROM information_schema.processlist"
                    + " WHERE db = ? AND state LIKE 'Waiting for table%lock'")
            .execute(Tuple.of(database))
            .await()
            .iterator()
            .next()
            .getLong("n")
        == 0) {
      assertTrue(System.nanoTime() < deadline, "the sender's write never reached the lock");
      Thread.sleep(10);
    }
  }

  private static List<String> msgids(JsonObject page) {
    assertEquals(0, page.getInteger("code"), page.encode());
    return page.getJsonArray("msgs").stream()
        .map(message -> ((JsonObject) message).getString("msgid"))
        .toList();
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
