package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.client.CourierClient;
import io.courier.config.Apps;
import io.courier.testkit.FreePorts;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.NodeProcess;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node paused (SIGSTOP) for longer than the cluster's failure detection loses its msgid node id
 * to a node started meanwhile. Once resumed (SIGCONT) it must not issue msgids with that node id:
 * it answers 503 until it holds a lease again, then issues msgids with another node id. Nodes from
 * the jar on Redis presence and two MySQL shards, as measured in issue 12.
 *
 * <p>Node B runs only the detector and keeps the cluster while A is paused. Node C has no appcode
 * 102: a C2C to appcode 102 that reaches C's routing is answered 403, so every code 0 to such a C2C
 * sent through A's gate was answered by A.
 */
class NodeIdFenceIT {
  /** Bound for the detector to remove the paused node, and for a node to serve again. */
  private static final long BOUND_MS = 60_000;

  private static final int NODE_ID = 2;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<Integer> memberPorts =
      List.of(FreePorts.next(), FreePorts.next(), FreePorts.next());
  private Path logs;
  private Vertx vertx;
  private CourierClient client;
  private Redis redis;
  private List<String> shards;

  @BeforeEach
  void backends() throws Exception {
    LocalServices.requireRedis();
    LocalServices.requireMysql();
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    redis = Redis.createClient(vertx, LocalServices.REDIS_URL);
    List<String> databases = List.of("courier_fence_0", "courier_fence_1");
    MySqlDatabases.recreate(vertx, databases);
    shards = databases.stream().map(MySqlDatabases::uri).toList();
    logs = Files.createDirectories(Path.of("target", "it-logs", "fence-" + run));
  }

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess node : nodes) {
      node.resume();
      node.kill();
    }
    redis.close();
    client.close().await();
    vertx.close().await();
  }

  @Test
  void aResumedNodeWhoseNodeIdWasTakenIssuesNoMsgidWithIt() throws Exception {
    Tokens tokens = new Tokens(vertx);
    String alice = "fence-alice-" + run;
    String bob = "fence-bob-" + run;
    start(0, "b", Map.of("COURIER_ROLES", "detector"));
    int gateA = FreePorts.next();
    NodeProcess a = start(1, "a", Map.of("COURIER_GATE_PORT", "" + gateA));
    TestSession aliceOnA = login(a, gateA, tokens, alice);
    assertEquals(NODE_ID, nodeOf(aliceOnA.c2c(bob, 102, "before", "before the pause")));

    a.pause();
    long pausedAt = System.currentTimeMillis();
    while (!redisHasNoSession(alice)) {
      assertTrue(
          System.currentTimeMillis() - pausedAt < BOUND_MS,
          "the paused node was never removed; logs in " + logs);
      Thread.sleep(100);
    }
    int gateC = FreePorts.next();
    NodeProcess c =
        start(
            2,
            "c",
            Map.of(
                "COURIER_GATE_PORT",
                "" + gateC,
                "COURIER_APPS",
                "101=" + Apps.DEV_SECRET + ",103=" + Apps.DEV_SECRET));
    TestSession carolOnC = login(c, gateC, tokens, "fence-carol-" + run);
    assertEquals(
        NODE_ID,
        nodeOf(carolOnC.c2c("fence-dave-" + run, 101, "c-0", "from the new node")),
        "the new node took the paused node's node id");
    System.out.println(
        "node A paused for " + (System.currentTimeMillis() - pausedAt) + " ms; resuming it");

    a.resume();
    long resumedAt = System.currentTimeMillis();
    JsonObject first = aliceOnA.c2c(bob, 102, "after-0", "right after the pause");
    assertEquals(503, first.getInteger("code"), "answered by A right after SIGCONT: " + first);
    JsonObject served = null;
    for (int i = 1; served == null; i++) {
      assertTrue(
          System.currentTimeMillis() - resumedAt < BOUND_MS,
          "A never served again; logs in " + logs);
      JsonObject answer = aliceOnA.c2c(bob, 102, "after-" + i, "after the pause");
      int code = answer.getInteger("code");
      if (code == 0) {
        served = answer;
      } else if (!Set.of(403, 503, 504).contains(code)) {
        fail("unexpected answer " + answer);
      } else {
        Thread.sleep(100);
      }
    }
    System.out.println(
        "A served again "
            + (System.currentTimeMillis() - resumedAt)
            + " ms after SIGCONT, msgid node id "
            + nodeOf(served));
    assertNotEquals(NODE_ID, nodeOf(served), "A issued a msgid with the node id it lost");
    assertEquals(NODE_ID, nodeOf(carolOnC.c2c("fence-dave-" + run, 101, "c-1", "still")));
  }

  private TestSession login(NodeProcess node, int gatePort, Tokens tokens, String uid) {
    try {
      return TestSession.login(client, gatePort, tokens, uid, 101, true);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("login of " + uid + " failed: " + e + "; " + node.describe(), e);
    }
  }

  /**
   * Starts node {@code name} with the env of {@code own} over the cluster's, and waits until ready.
   */
  private NodeProcess start(int member, String name, Map<String, String> own) throws Exception {
    int httpPort = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("COURIER_CLUSTER_NAME", "courier-fence-" + run);
    env.put("COURIER_CLUSTER_HOST", "127.0.0.1");
    env.put("COURIER_CLUSTER_PORT", Integer.toString(memberPorts.get(member)));
    env.put(
        "COURIER_CLUSTER_MEMBERS",
        String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList()));
    env.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "0");
    env.put("COURIER_NODE_ID", Integer.toString(NODE_ID));
    env.put("COURIER_GATE_HOST", "127.0.0.1");
    env.put("COURIER_GATE_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_HTTP_PORT", Integer.toString(httpPort));
    env.put("COURIER_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_BRIDGE_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_PRESENCE", "redis");
    env.put("COURIER_REDIS_URL", LocalServices.REDIS_URL);
    env.put("COURIER_STORE", "mysql");
    env.put("COURIER_MYSQL_SHARDS", String.join(",", shards));
    env.put("COURIER_DRAIN_SECONDS", "0");
    env.putAll(own);
    NodeProcess node = NodeProcess.start(name, env, logs);
    nodes.add(node);
    node.awaitReady(httpPort);
    return node;
  }

  private boolean redisHasNoSession(String uid) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg("courier:presence:" + uid))
        .await()
        .getKeys()
        .isEmpty();
  }

  private static int nodeOf(JsonObject c2cAnswer) {
    assertEquals(0, c2cAnswer.getInteger("code"), c2cAnswer.encode());
    return MsgIdGenerator.nodeOf(Long.parseLong(c2cAnswer.getString("msgid")));
  }
}
