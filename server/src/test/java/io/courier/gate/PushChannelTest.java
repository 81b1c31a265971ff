package io.courier.gate;

import static io.courier.gate.ConnectionTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.message.Message;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes and acks of one connection, with an ack timeout of 10 s and two resends. */
class PushChannelTest {
  private static final int PUSH = Command.PUSH.code();

  private final ManualLoop loop = new ManualLoop();
  private final FakeSocket socket = new FakeSocket(loop);
  private final List<ConnectionLimit> cuts = new ArrayList<>();
  private final Outbound out = new Outbound(socket, loop, ConnectionTest.SETTINGS, cuts::add);
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
  void aPushUnackedAtItsFirstAckTimeoutIsHandedOverForAWakeUpOnce() {
    pushes.push(1, message(42));

    loop.advance(9_999);
    assertTrue(logic.unacked.isEmpty());
    loop.advance(1);
    loop.advance(20_000);

    assertEquals(List.of(message(42)), logic.unacked, "once, at the first ack timeout");
    pushes.push(1, message(43));
    loop.advance(3_000);
    pushes.acknowledge("43");
    assertEquals(List.of(message(42)), logic.unacked, "an acknowledged push is not");
  }

  @Test
  void aLateAckIsReportedAsAfterANotification() {
    pushes.push(1, message(42));
    loop.advance(12_000);

    pushes.acknowledge("42");

    assertEquals(
        List.of("pushed 42", "resent 42", "acked 42 after 12000 ms after a notification"),
        steps.steps);
  }

  @Test
  void pushesWaitingWhenTheClientClosesAreHandedOverButNotWhenTheServerCloses() {
    pushes.push(1, message(42));
    pushes.clear();
    assertEquals(List.of(message(42)), logic.unacked, "the client went away");

    PushChannel kicked =
        new PushChannel("node-1.5", out, loop, ConnectionTest.SETTINGS, steps, logic);
    kicked.open();
    kicked.push(1, message(43));
    kicked.shut();
    kicked.clear();
    assertEquals(List.of(message(42)), logic.unacked, "the server closed it: no wake-up");
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
    socket.stopReading();
    out.write(filler(ConnectionTest.SETTINGS.writeQueueBytes()));
    assertTrue(out.full());
    socket.next();

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

  @Test
  void unacknowledgedPushesAreBoundedInBytesToo() {
    PushChannel small =
        new PushChannel("node-1.3", out, loop, settings(1 << 20, 4_096), steps, logic);
    small.open();
    int pushed = 0;
    while (small.push(1, sized(1_000 + pushed, 1_024))) {
      pushed++;
      assertTrue(pushed < 10, "more than 4 KiB of pushes held unacknowledged");
    }
    assertEquals(4, pushed, "refused before 4 KiB were held");
    assertTrue(small.push(0, sized(5_000, 1_024)), "qos 0 refused; it is never held");

    small.acknowledge("1000");

    assertTrue(small.push(1, sized(5_001, 1_024)));
    assertFalse(small.push(1, sized(5_002, 1_024)));
  }

  @Test
  void givenUpPushesMakeRoomInTheByteBound() {
    PushChannel small =
        new PushChannel("node-1.3", out, loop, settings(1 << 20, 4_096), steps, logic);
    small.open();
    for (int i = 0; i < 4; i++) {
      small.push(1, sized(1_000 + i, 1_024));
    }
    assertFalse(small.push(1, sized(2_000, 1_024)));

    loop.advance(30_000);

    assertTrue(small.push(1, sized(2_000, 1_024)));
  }

  @Test
  void pushWhoseWriteCutsAClientThatDoesNotReadIsReportedNotPushed() {
    List<ConnectionLimit> smallCuts = new ArrayList<>();
    ConnectionSettings settings = settings(4_096, 1 << 20);
    Outbound tight = new Outbound(socket, loop, settings, smallCuts::add);
    PushChannel channel = new PushChannel("node-1.4", tight, loop, settings, steps, logic);
    channel.open();
    socket.stopReading();
    tight.write(filler(5_000));

    assertFalse(channel.push(1, message(42)));

    assertEquals(List.of(ConnectionLimit.PENDING_BYTES), smallCuts);
    loop.advance(60_000);
    assertTrue(steps.steps.isEmpty(), "a push never written was reported: " + steps.steps);
  }

  /**
   * The test settings with a write queue far above {@code maxPendingBytes}, so that a client is cut
   * before it counts as behind, and {@code maxUnackedBytes}.
   */
  private static ConnectionSettings settings(long maxPendingBytes, long maxUnackedBytes) {
    ConnectionSettings base = ConnectionTest.SETTINGS;
    return new ConnectionSettings(
        base.maxBodyBytes(),
        64 << 20,
        base.loginTimeoutMs(),
        base.heartbeatSeconds(),
        base.idleTimeoutMs(),
        base.ackTimeoutMs(),
        base.pushRetries(),
        maxPendingBytes,
        base.writeStallMs(),
        maxUnackedBytes,
        base.maxInflight(),
        base.maxFramesPerSecond(),
        base.frameBurst(),
        base.c2cPerSecond(),
        base.c2cBurst());
  }

  /** A message of a 4-digit {@code msgid} whose PUSH frame is exactly {@code frameBytes} long. */
  private static Message sized(long msgid, int frameBytes) {
    int shell = pushFrame(withContent(message(msgid), "")).length();
    Message sized = withContent(message(msgid), "x".repeat(frameBytes - shell));
    assertEquals(frameBytes, pushFrame(sized).length());
    return sized;
  }

  private static Message withContent(Message template, String content) {
    return new Message(
        template.msgid(),
        template.kind(),
        template.fromUid(),
        template.fromAppcode(),
        template.toUid(),
        template.toAppcode(),
        template.msgtype(),
        content,
        template.senddate(),
        template.logid());
  }

  private static Buffer pushFrame(Message message) {
    return FrameEncoder.encodeFlat(Command.PUSH.code(), 1, message::writePushBody);
  }

  /** A well-formed frame of {@code bytes} bytes, to fill a write queue with. */
  private static Buffer filler(int bytes) {
    int shell = FrameEncoder.response(Command.PING, 0, new JsonObject().put("pad", "")).length();
    return FrameEncoder.response(
        Command.PING, 0, new JsonObject().put("pad", "x".repeat(bytes - shell)));
  }
}
