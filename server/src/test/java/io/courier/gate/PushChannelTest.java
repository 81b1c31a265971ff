package io.courier.gate;

import static io.courier.gate.ConnectionTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes and acks of one connection, with an ack timeout of 10 s and two resends. */
class PushChannelTest {
  private static final int PUSH = Command.PUSH.code();

  private final ManualLoop loop = new ManualLoop();
  private final FakeSocket socket = new FakeSocket(loop);
  private final Outbound out = new Outbound(socket, loop);
  private final RecordedSteps steps = new RecordedSteps();
  private final FakeLogic logic = new FakeLogic();
  private final PushChannel pushes =
      new PushChannel("node-1.1", out, loop, ConnectionTest.SETTINGS, steps, logic);

  @BeforeEach
  void open() {
    socket.start(data -> {}, failure -> {}, closed -> {});
    pushes.open();
  }

  @Test
  void unacknowledgedPushIsResentWithItsSeqAfterEachAckTimeoutThenGivenUp() {
    assertTrue(pushes.push(1, message(42)));
    JsonObject first = socket.next(PUSH, 1);
    assertEquals("42", first.getString("msgid"));

    loop.advance(9_999);
    assertTrue(socket.nothingWritten(), "resent before the ack timeout");
    loop.advance(1);
    assertEquals(first, socket.next(PUSH, 1));
    loop.advance(10_000);
    assertEquals(first, socket.next(PUSH, 1));
    loop.advance(10_000);

    assertTrue(socket.nothingWritten(), "resent more than twice");
    assertEquals(List.of("pushed 42", "resent 42", "resent 42", "expired 42"), steps.steps);
    assertEquals(0, loop.liveTimers());
    assertTrue(logic.acked.isEmpty());
  }

  @Test
  void ackRemovesThePendingPushAndIsReportedOnce() {
    pushes.push(1, message(42));
    loop.advance(3_000);

    pushes.acknowledge("42");
    pushes.acknowledge("42");
    loop.advance(60_000);

    assertEquals(List.of("pushed 42", "acked 42 after 3000 ms"), steps.steps);
    assertEquals(List.of(message(42)), logic.acked);
    socket.next(PUSH, 1);
    assertTrue(socket.nothingWritten(), "an acknowledged push was resent");
  }

  @Test
  void ackOfAnUnknownPushIsIgnored() {
    pushes.push(1, message(42));
    pushes.acknowledge("43");
    assertEquals(List.of("pushed 42"), steps.steps);
    assertTrue(logic.acked.isEmpty());
  }

  @Test
  void qos0PushIsWrittenOnceAndNeverWaitsForAnAck() {
    assertTrue(pushes.push(0, message(42)));
    loop.advance(60_000);
    pushes.acknowledge("42");

    socket.next(PUSH, 1);
    assertTrue(socket.nothingWritten());
    assertEquals(List.of("pushed 42"), steps.steps);
    assertEquals(0, loop.liveTimers());
  }

  @Test
  void pushesAreNumberedFromOneAndAResendKeepsItsNumber() {
    pushes.push(1, message(42));
    pushes.push(0, message(43));
    loop.advance(10_000);

    assertEquals("42", socket.next(PUSH, 1).getString("msgid"));
    assertEquals("43", socket.next(PUSH, 2).getString("msgid"));
    assertEquals("42", socket.next(PUSH, 1).getString("msgid"));
  }

  @Test
  void atMostCapacityPushesWaitForTheirAck() {
    for (int i = 0; i < PushChannel.CAPACITY; i++) {
      assertTrue(pushes.push(1, message(1_000 + i)));
    }
    assertFalse(pushes.push(1, message(5_000)), "more than the capacity waiting");
    assertTrue(pushes.push(0, message(5_001)), "qos 0 refused; it never waits");

    pushes.acknowledge("1000");

    assertTrue(pushes.push(1, message(5_000)));
  }

  @Test
  void nothingIsPushedBeforeTheChannelOpensOrAfterItShuts() {
    PushChannel closed =
        new PushChannel("node-1.2", out, loop, ConnectionTest.SETTINGS, steps, logic);
    assertFalse(closed.push(0, message(42)));

    pushes.shut();

    assertFalse(pushes.push(0, message(43)));
    assertTrue(socket.nothingWritten());
  }

  @Test
  void clientBehindOnReadingGetsNoPushAndAPushDueForResendIsGivenUp() {
    pushes.push(1, message(42));
    socket.next(PUSH, 1);
    socket.fillWriteQueue();
    out.write(Buffer.buffer());
    assertTrue(out.full());

    assertFalse(pushes.push(0, message(43)));
    loop.advance(10_000);

    assertTrue(socket.nothingWritten());
    assertEquals(List.of("pushed 42", "expired 42"), steps.steps);
  }

  @Test
  void pendingPushesOfAShutChannelAreGivenUpAtTheirTimeout() {
    pushes.push(1, message(42));
    pushes.shut();
    loop.advance(10_000);
    assertEquals(List.of("pushed 42", "expired 42"), steps.steps);
  }

  @Test
  void clearStopsEveryTimerWithoutReportingAnything() {
    pushes.push(1, message(42));
    pushes.push(1, message(43));

    pushes.clear();
    loop.advance(60_000);

    assertEquals(0, loop.liveTimers());
    assertEquals(List.of("pushed 42", "pushed 43"), steps.steps);
    assertFalse(pushes.push(0, message(44)));
  }
}
