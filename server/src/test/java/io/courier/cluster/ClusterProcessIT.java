package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three Courier processes started with the README's cluster command on Redis presence and a
 * two-shard MySQL store; one is killed with SIGKILL. Its user reads offline within the detector's
 * window, and every message acknowledged to its sender — before, during and after the kill — is
 * returned by the receiver's next PULL on another node.
 */
class ClusterProcessIT {
  private static final long BOUND_MS = 20_000;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private CourierProcesses cluster;
  private Vertx vertx;
  private CourierClient client;
  private Redis redis;

  @BeforeAll
  static void backendsRun() {
    LocalServices.requireRedis();
    LocalServices.requireMysql();
  }

  @BeforeEach
  void startCluster() throws Exception {
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    redis = Redis.createClient(vertx, LocalServices.REDIS_URL);
    List<String> databases = List.of("courier_it_0", "courier_it_1");
    MySqlDatabases.recreate(vertx, databases);
    cluster = CourierProcesses.start(3, databases);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    redis.close().await();
    client.close().await();
    vertx.close().await();
  }

  @Test
  void killingANodeLosesNoAcknowledgedMessageAndItsUsersReadOffline() throws Exception {
    Tokens tokens = new Tokens(vertx);
    String alice = "it-alice-" + run;
    String bob = "it-bob-" + run;
    TestSession sender = cluster.login(client, 0, tokens, alice, 101, true);
    TestSession receiver = cluster.login(client, 2, tokens, bob, 101, false);
    Set<String> acknowledged = new HashSet<>();
    JsonObject before = sender.c2c(bob, 101, "before", "before the kill");
    assertEquals(0, before.getInteger("code"), before.encode());
    acknowledged.add(before.getString("msgid"));
    assertEquals(
        before.getString("msgid"),
        receiver.nextPush().getString("msgid"),
        "delivered across processes");

    cluster.kill(2);
    long killedAt = System.currentTimeMillis();
    io.vertx.core.Future<JsonObject> inFlight =
        sender
            .connection()
            .request(
                io.courier.protocol.Command.C2C,
                new JsonObject()
                    .put("to_uid", bob)
                    .put("to_appcode", 101)
                    .put("cmid", "during")
                    .put("msgtype", 1)
                    .put("content", "sent as the node dies"));
    while (!redisHasNoSession(bob)) {
      assertTrue(
          System.currentTimeMillis() - killedAt < BOUND_MS,
          "the killed node's user never read offline");
      Thread.sleep(50);
    }
    System.out.println(
        "user of the killed node read offline after "
            + (System.currentTimeMillis() - killedAt)
            + " ms");
    JsonObject during = inFlight.await();
    if (during.getInteger("code") == 0) {
      acknowledged.add(during.getString("msgid"));
    }
    JsonObject after = sender.c2c(bob, 101, "after", "after the kill");
    assertEquals(0, after.getInteger("code"));
    acknowledged.add(after.getString("msgid"));

    TestSession back = cluster.login(client, 1, tokens, bob, 101, false);
    Set<String> pulled = new HashSet<>();
    String cursor = null;
    JsonObject page;
    do {
      page = back.pull(cursor, 200);
      assertEquals(0, page.getInteger("code"), page.encode());
      for (Object message : page.getJsonArray("msgs")) {
        cursor = ((JsonObject) message).getString("msgid");
        pulled.add(cursor);
      }
    } while (page.getBoolean("more"));
    assertTrue(
        pulled.containsAll(acknowledged), "acknowledged " + acknowledged + " but pulled " + pulled);
  }

  /** Whether Redis, where the nodes keep presence, holds no session of {@code uid}. */
  private boolean redisHasNoSession(String uid) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg("courier:presence:" + uid))
        .await()
        .getKeys()
        .isEmpty();
  }
}
