package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.protocol.Command;
import io.courier.testkit.FreePorts;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a node on the embedded store loses no acknowledged message: a sender keeps 64
 * C2C messages in flight to an offline receiver; after 3,000 code-0 answers the node is killed with
 * SIGKILL, and the node started again on the same data directory gives the receiver every
 * acknowledged message by PULL, and a resend of an acknowledged cmid its first msgid.
 *
 * <p>The node runs from the built jar, not clustered (a clustered node refuses the embedded store),
 * which is why it is started here rather than by {@code NodeProcess}.
 */
class EmbeddedStoreKillIT {
  private static final int KILL_AFTER_ACKS = 3_000;
  private static final int IN_FLIGHT = 64;
  private static final long START_BOUND_MS = 90_000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private Path dataDir;
  private Path logs;
  private Vertx vertx;
  private CourierClient client;
  private Process node;

  @BeforeEach
  void setUp() throws IOException {
    dataDir = Files.createTempDirectory("courier-kill-it");
    logs = Path.of("target", "it-logs");
    Files.createDirectories(logs);
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor();
    }
    client.close().await();
    vertx.close().await();
  }

  @Test
  void everyAcknowledgedMessageIsThereAfterAKillAndARestart() throws Exception {
    Tokens tokens = new Tokens(vertx);
    int gatePort = start("before-kill");
    TestSession sender = TestSession.login(client, gatePort, tokens, "kill-alice", 101, true);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    Semaphore window = new Semaphore(IN_FLIGHT);
    for (int i = 0; acknowledged.size() < KILL_AFTER_ACKS; i++) {
      assertTrue(window.tryAcquire(30, TimeUnit.SECONDS), "no answer for 30 s");
      String cmid = "cmid-" + i;
      Future<JsonObject> answer =
          sender
              .connection()
              .request(
                  Command.C2C,
                  new JsonObject()
                      .put("to_uid", "kill-bob")
                      .put("to_appcode", 102)
                      .put("cmid", cmid)
                      .put("msgtype", 1)
                      .put("content", "message " + i + " " + "x".repeat(100)));
      answer.onComplete(
          done -> {
            if (done.succeeded() && done.result().getInteger("code") == 0) {
              acknowledged.put(cmid, done.result().getString("msgid"));
            }
            window.release();
          });
    }
    node.destroyForcibly().waitFor();
    // answers that were on their way when the node died count too
    Set<String> acked = new HashSet<>(acknowledged.values());
    Map<String, String> ackedCmids = new HashMap<>(acknowledged);

    int restartedGate = start("after-kill");
    TestSession receiver = TestSession.login(client, restartedGate, tokens, "kill-bob", 102, false);
    Set<String> pulled = new HashSet<>();
    String cursor = null;
    JsonObject page;
    do {
      page = receiver.pull(cursor, 200);
      assertEquals(0, page.getInteger("code"), page.encode());
      for (Object message : page.getJsonArray("msgs")) {
        cursor = ((JsonObject) message).getString("msgid");
        pulled.add(cursor);
      }
    } while (page.getBoolean("more"));

    System.out.println(
        acked.size()
            + " messages acknowledged before the kill, "
            + pulled.size()
            + " pulled after it");
    Set<String> lost = new HashSet<>(acked);
    lost.removeAll(pulled);
    assertTrue(
        lost.isEmpty(),
        lost.size() + " of " + acked.size() + " acknowledged messages lost, e.g. " + first(lost));
    String someCmid = ackedCmids.keySet().iterator().next();
    TestSession resender =
        TestSession.login(client, restartedGate, tokens, "kill-alice", 101, true);
    JsonObject resent = resender.c2c("kill-bob", 102, someCmid, "sent again");
    assertEquals(0, resent.getInteger("code"), resent.encode());
    assertEquals(ackedCmids.get(someCmid), resent.getString("msgid"), "the cmid was remembered");
  }

  private static List<String> first(Set<String> lost) {
    return lost.stream().sorted().limit(5).toList();
  }

  /** Starts the node on the test's data directory; returns its gate port once it is ready. */
  private int start(String name) throws Exception {
    int gatePort = FreePorts.next();
    int httpPort = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("COURIER_DATA_DIR", dataDir.toString());
    env.put("COURIER_GATE_HOST", "127.0.0.1");
    env.put("COURIER_GATE_PORT", Integer.toString(gatePort));
    env.put("COURIER_HTTP_PORT", Integer.toString(httpPort));
    env.put("COURIER_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_BRIDGE_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_DRAIN_SECONDS", "0");
    // one sender writes as fast as the store acknowledges, far beyond a phone's rates
    env.put("COURIER_C2C_RATE_PER_SENDER", "1000000");
    env.put("COURIER_C2C_BURST", "1000000");
    env.put("COURIER_GATE_MAX_FRAMES_PER_SECOND", "1000000");
    env.put("COURIER_GATE_FRAME_BURST", "1000000");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Path log = logs.resolve("embedded-kill-" + name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(java, "-jar", System.getProperty("courier.jar", "target/courier.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    node = builder.start();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.currentTimeMillis() + START_BOUND_MS;
    while (true) {
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return gatePort;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertTrue(node.isAlive(), name + " exited; see " + log);
      assertTrue(System.currentTimeMillis() < deadline, name + " not ready; see " + log);
      Thread.sleep(100);
    }
  }
}
