package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.testkit.FreePorts;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> gatePorts = new ArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private Path logs;
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
    logs = Files.createTempDirectory("courier-it");
    List<Integer> memberPorts = List.of(FreePorts.next(), FreePorts.next(), FreePorts.next());
    String members =
        String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    for (int i = 0; i < 3; i++) {
      int gatePort = FreePorts.next();
      gatePorts.add(gatePort);
      Map<String, String> env = new HashMap<>();
      env.put("COURIER_CLUSTER_NAME", "courier-it-" + run);
      env.put("COURIER_CLUSTER_HOST", "127.0.0.1");
      env.put("COURIER_CLUSTER_PORT", Integer.toString(memberPorts.get(i)));
      env.put("COURIER_CLUSTER_MEMBERS", members);
      env.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "0");
      env.put("COURIER_NODE_ID", Integer.toString(i));
      env.put("COURIER_GATE_HOST", "127.0.0.1");
      env.put("COURIER_GATE_PORT", Integer.toString(gatePort));
      env.put("COURIER_HTTP_PORT", Integer.toString(FreePorts.next()));
      env.put("COURIER_ADMIN_PORT", Integer.toString(FreePorts.next()));
      env.put("COURIER_BRIDGE_PORT", Integer.toString(FreePorts.next()));
      env.put("COURIER_PRESENCE", "redis");
      env.put("COURIER_REDIS_URL", LocalServices.REDIS_URL);
      env.put("COURIER_STORE", "mysql");
      env.put(
          "COURIER_MYSQL_SHARDS",
          String.join(",", databases.stream().map(MySqlDatabases::uri).toList()));
      env.put("COURIER_DRAIN_SECONDS", "0");
      processes.add(start(i, env));
    }
    for (int port : gatePorts) {
      awaitListening(port);
    }
  }

  @AfterEach
  void stopCluster() {
    processes.forEach(Process::destroyForcibly);
    redis.close().await();
    client.close().await();
    vertx.close().await();
  }

  @Test
  void killingANodeLosesNoAcknowledgedMessageAndItsUsersReadOffline() throws Exception {
    Tokens tokens = new Tokens(vertx);
    String alice = "it-alice-" + run;
    String bob = "it-bob-" + run;
    TestSession sender = TestSession.login(client, gatePorts.get(0), tokens, alice, 101, true);
    TestSession receiver = TestSession.login(client, gatePorts.get(2), tokens, bob, 101, false);
    Set<String> acknowledged = new HashSet<>();
    JsonObject before = sender.c2c(bob, 101, "before", "before the kill");
    assertEquals(0, before.getInteger("code"), before.encode());
    acknowledged.add(before.getString("msgid"));
    assertEquals(
        before.getString("msgid"),
        receiver.nextPush().getString("msgid"),
        "delivered across processes");

    processes.get(2).destroyForcibly().waitFor();
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

    TestSession back = TestSession.login(client, gatePorts.get(1), tokens, bob, 101, false);
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

  private Process start(int index, Map<String, String> env) throws IOException {
    String jar = System.getProperty("courier.jar", "target/courier.jar");
    ProcessBuilder builder =
        new ProcessBuilder(javaBinary(), "-jar", jar, "-cluster")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("node" + index + ".log").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        assertTrue(
            System.currentTimeMillis() < deadline,
            "node on gate port " + port + " did not start; logs in " + logs);
        Thread.sleep(100);
      }
    }
  }
}
