package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

      Map<Integer, Integer> codes = new HashMap<>();
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
    }
    try (BlockingClient again = BlockingClient.connect(strict.gatePort())) {
      again.send(BlockingClient.loginFrame(1, uid, APPCODE, tokens.valid(uid, APPCODE)));
      BlockingClient.Frame refused = again.expect(Command.LOGIN.responseCode(), 1);
      assertEquals(429, refused.code(), "the kicked uid logs in again at once: " + refused);
      String other = uid();
      again.login(other, APPCODE, tokens.valid(other, APPCODE));
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

      // 2,000 pushes of 10 KB (20 MB) that the slow client never reads; the normal client pings
      // each time another 100 of them are answered
      Flood flood = new Flood(slowUid, 2_000, "x".repeat(10_000));
      vertx.runOnContext(v -> flood.start(32));
      long seq = 10;
      for (int answered = 100; answered <= 2_000; answered += 100) {
        normal.ping(seq++);
        flood.answered(answered).await(TestSession.WAIT_SECONDS, TimeUnit.SECONDS);
      }
      Map<String, Integer> statuses = flood.done.future().await();
      JsonObject during = s2c(slowUid, 1, "after the flood").await();
      assertEquals("stored", during.getString("status"), during::encode);

      assertTrue(statuses.getOrDefault("dropped", 0) > 0, () -> "never refused: " + statuses);
      int pushed = statuses.getOrDefault("pushed", 0);
      assertTrue(
          pushed * 10_000L < 8 << 20,
          () -> pushed + " pushes of 10 KB written to a client that does not read");
      // the client fell behind early in the flood: it is cut at most the stall time after that
      awaitOffline(slowUid, Duration.ofSeconds(STALL_SECONDS + 5));
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
   * {@code count} qos-0 messages to {@code toUid} on {@code courier.s2c}, {@code window} requests
   * at a time; {@link #done} completes with the number of answers per status. Confined to the
   * context that starts it.
   */
  private static final class Flood {
    private static final int STEP = 100;

    final Promise<Map<String, Integer>> done = Promise.promise();
    private final Map<String, Integer> statuses = new HashMap<>();
    private final List<Promise<Void>> steps = new ArrayList<>();
    private final String toUid;
    private final int count;
    private final String content;
    private int sent;
    private int answered;

    Flood(String toUid, int count, String content) {
      this.toUid = toUid;
      this.count = count;
      this.content = content;
      for (int i = 0; i < count / STEP; i++) {
        steps.add(Promise.promise());
      }
    }

    void start(int window) {
      for (int i = 0; i < window; i++) {
        sendNext();
      }
    }

    /** Completes once {@code answers}, a multiple of 100, have been answered. */
    Future<Void> answered(int answers) {
      return steps.get(answers / STEP - 1).future();
    }

    private void sendNext() {
      if (sent == count) {
        return;
      }
      sent++;
      s2c(toUid, 0, content)
          .onComplete(
              reply -> {
                String status =
                    reply.succeeded()
                        ? reply.result().getString("status", reply.result().encode())
                        : reply.cause().toString();
                statuses.merge(status, 1, Integer::sum);
                answered++;
                if (answered % STEP == 0) {
                  steps.get(answered / STEP - 1).complete();
                }
                if (answered == count) {
                  done.complete(statuses);
                } else {
                  sendNext();
                }
              });
    }
  }

  /**
   * Waits until presence has no session of {@code uid}: asked on a 50 ms timer, at most {@code
   * bound}. The cut itself cannot be watched from the client without reading, which would undo it.
   */
  private static void awaitOffline(String uid, Duration bound) throws Exception {
    Promise<Void> offline = Promise.promise();
    long timer =
        vertx.setPeriodic(
            50,
            id ->
                vertx
                    .eventBus()
                    .<JsonObject>request(Addresses.PRESENCE, new JsonObject().put("uid", uid))
                    .onSuccess(
                        reply -> {
                          if (reply.body().getJsonArray("sessions").isEmpty()) {
                            offline.tryComplete();
                          }
                        }));
    try {
      offline.future().await(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(uid + " still online after " + bound, e);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  private static String uid() {
    return "lim-" + RUN + "-" + UIDS.incrementAndGet();
  }
}
