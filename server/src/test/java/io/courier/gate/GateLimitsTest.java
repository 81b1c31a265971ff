package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits of one connection on a real node, from plain sockets (docs/security.md): pipelined
 * requests beyond the in-flight bound, a frame flood, and a client that stops reading while pushes
 * keep coming. The node's write stall is 2 s so that the last one takes seconds, not tens.
 */
class GateLimitsTest {
  private static final int APPCODE = 101;
  private static final int STALL_SECONDS = 2;
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final AtomicInteger UIDS = new AtomicInteger();

  private static Vertx vertx;
  private static TestNode node;
  private static Tokens tokens;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    node =
        TestNode.start(
            vertx,
            new JsonObject().put("gate", new JsonObject().put("writeStallSeconds", STALL_SECONDS)));
    tokens = new Tokens(vertx);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void pullsPipelinedBeyondTheInflightBoundAre429AndTheConnectionStaysUsable() throws IOException {
    String uid = uid();
    try (BlockingClient client = BlockingClient.connect(node.gatePort())) {
      client.login(uid, APPCODE, tokens.valid(uid, APPCODE));
      Buffer[] pulls = new Buffer[500];
      for (int i = 0; i < pulls.length; i++) {
        pulls[i] = BlockingClient.frame(Command.PULL, 1_000 + i, new JsonObject());
      }

      client.send(pulls);

      Map<Integer, Integer> codes = new ConcurrentHashMap<>();
      Set<Long> answered = new HashSet<>();
      for (int i = 0; i < pulls.length; i++) {
        BlockingClient.Frame answer = client.read();
        assertEquals(Command.PULL.responseCode(), answer.cmd(), answer::toString);
        assertTrue(answered.add(answer.seq()), () -> "answered twice: " + answer);
        codes.merge(answer.code(), 1, Integer::sum);
      }
      // all 500 arrive in one read: the first 32 are at the offline role before any is answered
      assertEquals(Map.of(0, 32, 429, 468), codes);
      client.ping(2);
      assertEquals(0, client.request(Command.PULL, 3, new JsonObject()).code());
    }
  }

  @Test
  void frameFloodIsAnswered429ThenKickedWith4005() throws IOException {
    TestNode strict =
        TestNode.start(
            vertx,
            new JsonObject()
                .put("gate", new JsonObject().put("maxFramesPerSecond", 10).put("frameBurst", 10)));
    String uid = uid();
    try (BlockingClient client = BlockingClient.connect(strict.gatePort())) {
      client.login(uid, APPCODE, tokens.valid(uid, APPCODE));
      Buffer[] pings = new Buffer[30];
      for (int i = 0; i < pings.length; i++) {
        pings[i] = BlockingClient.frame(Command.PING, 10 + i, new JsonObject());
      }

      client.send(pings);

      int accepted = 0;
      int refused = 0;
      BlockingClient.Frame frame = client.read();
      while (frame.cmd() == Command.PING.responseCode()) {
        if (frame.code() == 0) {
          assertEquals(0, refused, "a PING accepted after a refusal, within the same instant");
          accepted++;
        } else {
          assertEquals(429, frame.code(), frame::toString);
          refused++;
        }
        frame = client.read();
      }
      // the LOGIN took one frame of the burst, unless 100 ms passed since and refilled it
      assertTrue(accepted == 9 || accepted == 10, "accepted " + accepted);
      assertEquals(10, refused);
      assertEquals(Command.KICK.code(), frame.cmd(), frame::toString);
      assertEquals(4005, frame.code());
      assertTrue(client.readOrNullAtEof() == null, "open after KICK 4005");
    } finally {
      strict.stop();
    }
  }

  @Test
  void clientThatStopsReadingIsCutWhileTheClientBesideItKeepsItsPingsAnswered() throws Exception {
    String slowUid = uid();
    String normalUid = uid();
    try (BlockingClient slow = BlockingClient.connect(node.gatePort(), 8 * 1024);
        BlockingClient normal = BlockingClient.connect(node.gatePort())) {
      slow.login(slowUid, APPCODE, tokens.valid(slowUid, APPCODE));
      normal.login(normalUid, APPCODE, tokens.valid(normalUid, APPCODE));
      JsonObject before = s2c(slowUid, 1, "before the flood").await();
      assertEquals("pushed", before.getString("status"), before::encode);

      // 2,000 pushes of 10 KB (20 MB) that the slow client never reads
      Future<Map<String, Integer>> flood = flood(slowUid, 2_000, "x".repeat(10_000));
      long seq = 10;
      while (!flood.isComplete()) {
        normal.ping(seq++);
      }
      Map<String, Integer> statuses = flood.await();
      long floodEnded = System.nanoTime();
      JsonObject during = s2c(slowUid, 1, "after the flood").await();
      assertEquals("stored", during.getString("status"), during::encode);

      assertTrue(statuses.getOrDefault("dropped", 0) > 0, () -> "never refused: " + statuses);
      int pushed = statuses.getOrDefault("pushed", 0);
      assertTrue(
          pushed * 10_000L < 8 << 20,
          () -> pushed + " pushes of 10 KB written to a client that does not read");
      awaitOffline(slowUid, Duration.ofSeconds(STALL_SECONDS + 10));
      long cutAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodEnded);
      assertTrue(cutAfterMs < (STALL_SECONDS + 8) * 1000L, () -> "cut " + cutAfterMs + " ms late");
      assertTrue(slow.readUntilClosed(), "the slow client's connection stayed open");
      normal.ping(seq);

      try (BlockingClient back = BlockingClient.connect(node.gatePort())) {
        back.login(slowUid, APPCODE, tokens.valid(slowUid, APPCODE));
        JsonArray msgs =
            back.request(Command.PULL, 2, new JsonObject().put("limit", 200))
                .body()
                .getJsonArray("msgs");
        Set<String> pulled = new HashSet<>();
        for (int i = 0; i < msgs.size(); i++) {
          pulled.add(msgs.getJsonObject(i).getString("msgid"));
        }
        assertTrue(
            pulled.containsAll(Set.of(before.getString("msgid"), during.getString("msgid"))),
            () -> "qos-1 messages lost with the cut: " + msgs.encode());
      }
    }
  }

  private static Future<JsonObject> s2c(String toUid, int qos, String content) {
    JsonObject body =
        new JsonObject()
            .put("to_uid", toUid)
            .put("to_appcode", APPCODE)
            .put("msgtype", 1)
            .put("content", content)
            .put("qos", qos);
    return vertx.eventBus().<JsonObject>request(Addresses.S2C, body).map(reply -> reply.body());
  }

  /**
   * Sends {@code count} qos-0 messages to {@code toUid}, 32 at a time; completes with the number of
   * answers per status once all are answered.
   */
  private static Future<Map<String, Integer>> flood(String toUid, int count, String content) {
    Promise<Map<String, Integer>> done = Promise.promise();
    Map<String, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (sent.getAndIncrement() >= count) {
            return;
          }
          s2c(toUid, 0, content)
              .onComplete(
                  reply -> {
                    statuses.merge(
                        reply.succeeded()
                            ? reply.result().getString("status", "code " + reply.result())
                            : reply.cause().toString(),
                        1,
                        Integer::sum);
                    if (answered.incrementAndGet() == count) {
                      done.complete(statuses);
                    } else {
                      next[0].run();
                    }
                  });
        };
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < 32; i++) {
            next[0].run();
          }
        });
    return done.future();
  }

  /**
   * Waits until presence has no session of {@code uid}, asking every 50 ms for at most {@code
   * bound}.
   */
  private static void awaitOffline(String uid, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      JsonArray sessions =
          vertx
              .eventBus()
              .<JsonObject>request(Addresses.PRESENCE, new JsonObject().put("uid", uid))
              .await()
              .body()
              .getJsonArray("sessions");
      if (sessions.isEmpty()) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, () -> uid + " still online after " + bound);
      Thread.sleep(50);
    }
  }

  private static String uid() {
    return "lim-" + RUN + "-" + UIDS.incrementAndGet();
  }
}
