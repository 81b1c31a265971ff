package io.courier.gate;

import static io.courier.gate.ConnectionTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one connection may cost the gate, seen from its client: requests awaiting an answer (4 at
 * most here), frames per second (10, in bursts of 10), and what a client that stops reading may
 * leave queued (cut when a frame is due with more than 16 KiB queued, or after 10 s behind on a 4
 * KiB write queue). Each refusal and cut is counted in the gate's meters.
 */
class ConnectionLimitsTest {
  private static final ConnectionSettings SETTINGS =
      new ConnectionSettings(
          65_536, 4_096, 10_000, 30, 90_000, 10_000, 2, 16_384, 10_000, 1 << 20, 4, 10, 10, 100_000,
          100_000);

  private static final int LOGIN = Command.LOGIN.code();
  private static final int PING = Command.PING.code();
  private static final int PULL = Command.PULL.code();
  private static final int C2C = Command.C2C.code();
  private static final int PUSH_ACK = Command.PUSH.responseCode();

  private final ManualLoop loop = new ManualLoop();
  private final FakeLogic logic = new FakeLogic();
  private final LocalSessions sessions = new LocalSessions("node-1");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeSocket socket = new FakeSocket(loop);
  private final Connection connection =
      new Connection(
          new Gate(
              SETTINGS,
              sessions,
              logic,
              new RecordedSteps(),
              new GateMetrics(registry),
              loop,
              new HashSet<>()),
          socket);

  @BeforeEach
  void accept() {
    connection.start();
    socket.send(
        LOGIN, 1, new JsonObject().put("uid", "alice").put("appcode", 101).put("token", "t"));
    logic.acceptLogin();
    assertEquals(0, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
  }

  @Test
  void requestBeyondTheInflightLimitIs429AtOnceAndTheConnectionStaysUsable() {
    for (int seq = 10; seq < 15; seq++) {
      socket.send(PULL, seq, new JsonObject());
    }
    assertEquals(4, logic.waitingRequests(), "requests at the logic roles");
    assertRateLimited(socket.next(Command.PULL.responseCode(), 14));
    assertTrue(socket.nothingWritten());

    logic.nextRequest().answer().complete(page());
    socket.next(Command.PULL.responseCode(), 10);
    socket.send(PULL, 15, new JsonObject());
    socket.send(PING, 16, new JsonObject());

    assertEquals(4, logic.waitingRequests(), "the freed place was not taken");
    assertEquals(0, socket.next(Command.PING.responseCode(), 16).getInteger("code"));
    assertEquals(1.0, limited("inflight"));
    assertFalse(socket.closed());
  }

  @Test
  void c2cQueueTakesOneInflightPlaceWhileItHoldsAny() {
    for (int seq = 10; seq < 14; seq++) {
      socket.send(PULL, seq, new JsonObject());
    }
    socket.send(C2C, 20, c2cBody(0));
    assertRateLimited(socket.next(Command.C2C.responseCode(), 20));

    logic.nextRequest().answer().complete(page());
    socket.next(Command.PULL.responseCode(), 10);
    socket.send(C2C, 21, c2cBody(1));
    socket.send(C2C, 22, c2cBody(2));
    socket.send(PULL, 23, new JsonObject());

    assertRateLimited(socket.next(Command.PULL.responseCode(), 23));
    assertTrue(socket.nothingWritten(), "the C2C behind the first was refused");
    for (int i = 0; i < 3; i++) {
      logic.nextRequest().answer().complete(page());
    }
    FakeLogic.Request first = logic.nextRequest();
    assertEquals(Command.C2C, first.command());
    first.answer().complete(new JsonObject().put("code", 0));
    logic.nextRequest().answer().complete(new JsonObject().put("code", 0));
    drainWritten();

    socket.send(PULL, 24, new JsonObject());
    assertEquals(Command.PULL, logic.nextRequest().command(), "the drained queue kept its place");
    assertEquals(2.0, limited("inflight"));
  }

  @Test
  void framesBeyondTheBurstAre429AndABurstMoreIsKickedWith4005() {
    // the LOGIN took one frame of the burst of 10
    for (int seq = 2; seq <= 10; seq++) {
      socket.send(PING, seq, new JsonObject());
      assertEquals(0, socket.next(Command.PING.responseCode(), seq).getInteger("code"));
    }
    for (int seq = 11; seq <= 20; seq++) {
      socket.send(PING, seq, new JsonObject());
      assertRateLimited(socket.next(Command.PING.responseCode(), seq));
    }
    assertFalse(socket.ended(), "kicked within the second burst");

    socket.send(PING, 21, new JsonObject());

    assertEquals(
        new JsonObject().put("code", 4005).put("msg", "too many frames"),
        socket.next(Command.KICK.code(), 1));
    assertTrue(socket.ended());
    assertTrue(socket.nothingWritten());
    assertEquals(10.0, limited("frame_rate"));
    assertEquals(1.0, cut("frame_rate"));
  }

  @Test
  void clientThatSlowsDownAfter429IsServedAgain() {
    for (int seq = 2; seq <= 11; seq++) {
      socket.send(PING, seq, new JsonObject());
    }
    drainWritten();

    loop.advance(100);
    socket.send(PING, 8, new JsonObject());
    assertEquals(0, socket.next(Command.PING.responseCode(), 8).getInteger("code"));
    socket.send(PING, 9, new JsonObject());
    assertRateLimited(socket.next(Command.PING.responseCode(), 9));

    loop.advance(1_000);
    for (int seq = 10; seq < 20; seq++) {
      socket.send(PING, seq, new JsonObject());
      assertEquals(0, socket.next(Command.PING.responseCode(), seq).getInteger("code"));
    }
    assertFalse(socket.closed());
  }

  @Test
  void refusedFrameThatIsNoRequestGetsError429() {
    for (int seq = 2; seq <= 10; seq++) {
      socket.send(PING, seq, new JsonObject());
    }
    drainWritten();

    socket.send(0x0999, 11, new JsonObject());

    assertRateLimited(socket.next(Command.ERROR.code(), 11));
  }

  @Test
  void acksOfPushesTheClientReceivedAreFreeAndOthersCountAsFrames() {
    for (int i = 0; i < 20; i++) {
      assertTrue(push(0, 100 + i).result());
      JsonObject push = socket.next(Command.PUSH.code(), i + 1);
      socket.send(PUSH_ACK, i + 1, new JsonObject().put("msgid", push.getString("msgid")));
    }
    assertTrue(socket.nothingWritten(), "an ack of a received push was refused");

    for (int seq = 100; seq < 109; seq++) {
      socket.send(PUSH_ACK, seq, new JsonObject().put("msgid", "1"));
    }
    assertTrue(socket.nothingWritten(), "an ack within the frame budget was answered");
    socket.send(PUSH_ACK, 109, new JsonObject().put("msgid", "1"));

    assertRateLimited(socket.next(Command.ERROR.code(), 109));
  }

  @Test
  void clientThatStopsReadingIsCutAfterTheStallWithoutAFrameAndItsMessagesWaitOffline() {
    assertTrue(push(1, 42).result());
    socket.stopReading();
    int pushed = 0;
    while (push(0, 100 + pushed).result()) {
      pushed++;
      assertTrue(pushed < 100, "still pushing to a client with 4 KiB unread");
    }
    assertEquals(1.0, pushesRefused("0"), "the refused qos-0 push was not counted");
    assertFalse(push(1, 43).result(), "a qos-1 push written to a client that does not read");
    drainWritten();

    loop.advance(9_999);
    assertFalse(socket.closed(), "cut before the stall time");
    loop.advance(1);

    assertTrue(socket.aborted(), "not closed at once");
    assertTrue(socket.nothingWritten(), "a frame was written to a client that does not read");
    loop.settle();
    assertTrue(connection.closed().succeeded());
    assertEquals(connection.sessionId(), logic.removedPresence.get(0).session());
    assertTrue(logic.acked.isEmpty(), "a message left the offline store unacknowledged");
    assertFalse(push(1, 44).result());
    assertEquals(1.0, cut("write_stall"));
    assertEquals(2.0, pushesRefused("1"));
  }

  @Test
  void answersItAskedForAreQueuedBeyondThePendingBytesAndTheStallCutsTheClient() {
    socket.stopReading();
    for (int seq = 10; seq < 14; seq++) {
      socket.send(PULL, seq, new JsonObject());
    }
    JsonObject bigPage = page().put("pad", "x".repeat(6_000));
    for (int i = 0; i < 4; i++) {
      logic.nextRequest().answer().complete(bigPage);
    }
    assertFalse(socket.closed(), "cut for the pages it asked for");
    assertFalse(push(1, 44).result(), "a push to a client that does not read");
    assertEquals(1.0, pushesRefused("1"));

    loop.advance(10_000);

    assertTrue(socket.aborted());
    assertEquals(1.0, cut("write_stall"));
    loop.settle();
    assertTrue(connection.closed().succeeded());
  }

  private Future<Boolean> push(int qos, long msgid) {
    Future<Boolean> written = connection.push(qos, message(msgid));
    loop.settle();
    return written;
  }

  private void drainWritten() {
    while (!socket.nothingWritten()) {
      socket.next();
    }
  }

  private double limited(String limit) {
    return registry.get("courier.gate.limited").tag("limit", limit).counter().count();
  }

  private double cut(String limit) {
    return registry.get("courier.gate.cut").tag("limit", limit).counter().count();
  }

  private double pushesRefused(String qos) {
    return registry.get("courier.gate.pushes.refused").tag("qos", qos).counter().count();
  }

  private static void assertRateLimited(JsonObject body) {
    assertEquals(Code.RATE_LIMITED.value(), body.getInteger("code"), body.encode());
    assertTrue(body.getString("msg").length() > 0);
  }

  private static JsonObject page() {
    return new JsonObject().put("code", 0).put("msgs", new JsonArray()).put("more", false);
  }

  private static JsonObject c2cBody(int cmid) {
    return new JsonObject()
        .put("to_uid", "bob")
        .put("to_appcode", 101)
        .put("cmid", Integer.toString(cmid))
        .put("msgtype", 1)
        .put("content", "hi");
  }
}
