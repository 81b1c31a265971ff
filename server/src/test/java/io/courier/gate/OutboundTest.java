package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes queued for a client, the back-pressure they put on reading, the cut of a client that
 * does not read, and the closing frame. Behind at 4,000 bytes queued, caught up at 2,000, cut when
 * a frame is due with more than 16,000 queued or after 10 s behind without draining; the queue of a
 * client behind is looked at every 2.5 s.
 */
class OutboundTest {
  private static final ConnectionSettings SETTINGS =
      new ConnectionSettings(
          65_536, 4_000, 10_000, 30, 90_000, 10_000, 2, 16_000, 10_000, 1 << 20, 32, 100, 1000,
          100_000, 100_000);

  /** A frame of exactly this many bytes: header and padded body. */
  private static final int FRAME_BYTES = 1_000;

  private final ManualLoop loop = new ManualLoop();
  private final FakeSocket socket = new FakeSocket(loop, SETTINGS.writeQueueBytes());
  private final List<ConnectionLimit> cuts = new ArrayList<>();
  private final Outbound out = new Outbound(socket, loop, SETTINGS, cuts::add);

  @BeforeEach
  void start() {
    socket.start(data -> {}, failure -> {}, closed -> {});
  }

  @Test
  void bytesQueuedAreCountedUntilTheClientReadsThem() {
    out.write(frame(1));
    assertEquals(0, out.pendingBytes(), "a client that reads leaves nothing queued");

    socket.stopReading();
    out.write(frame(2));
    out.write(pong(3));
    assertEquals(FRAME_BYTES + pong(3).length(), out.pendingBytes());
    assertEquals(socket.unreadBytes(), out.pendingBytes());

    socket.readOldest(1);
    assertEquals(pong(3).length(), out.pendingBytes());
    socket.catchUp();
    assertEquals(0, out.pendingBytes());
  }

  @Test
  void clientBehindIsNotReadUntilItsQueueDrainsToHalf() {
    socket.stopReading();
    for (int seq = 1; seq <= 3; seq++) {
      out.write(frame(seq));
    }
    assertFalse(socket.paused());
    assertFalse(out.full());

    out.write(frame(4));
    assertTrue(socket.paused(), "read from a client with 4,000 bytes queued");
    assertTrue(out.full());

    socket.readOldest(1);
    assertTrue(socket.paused(), "read again with 3,000 bytes still queued");
    socket.readOldest(1);
    assertFalse(socket.paused());
    assertFalse(out.full());
  }

  @Test
  void queueThatDrainedToHalfUnannouncedIsSeenAtTheNextLook() {
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }

    socket.readOldestUnannounced(2);
    loop.advance(2_500);

    assertFalse(out.full());
    assertFalse(socket.paused());
    assertTrue(cuts.isEmpty());
  }

  @Test
  void readingStaysPausedWhileALoginIsDecidedEvenWhenTheQueueDrains() {
    out.holdReading(true);
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }

    socket.catchUp();
    assertTrue(socket.paused(), "reading resumed while the login is decided");

    out.holdReading(false);
    assertFalse(socket.paused());
  }

  @Test
  void readingIsResumedNeitherAfterTheEndNorAfterTheSocketClosed() {
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }
    out.end(null);

    socket.catchUp();
    out.holdReading(false);

    assertTrue(socket.paused());
    assertTrue(socket.closed());
  }

  @Test
  void lastFrameIsWrittenAndTheSocketClosedAtTheLatestAfterTheGrace() {
    socket.stopReading();
    out.end(pong(7));
    socket.next(Command.PING.responseCode(), 7);
    assertFalse(socket.closed());

    loop.advance(Outbound.CLOSE_GRACE_MS - 1);
    assertFalse(socket.closed());
    loop.advance(1);
    assertTrue(socket.closed());
    assertTrue(socket.aborted(), "closed gracefully: it would wait for the client forever");
  }

  @Test
  void frameDueWithMoreThanTheMaximumQueuedIsNotWrittenAndTheClientIsCut() {
    socket.stopReading();
    for (int seq = 1; seq <= 17; seq++) {
      assertTrue(out.write(frame(seq)), "frame " + seq + " refused");
      socket.next();
    }
    assertEquals(17_000, out.pendingBytes());
    assertTrue(cuts.isEmpty(), "cut before a frame was due");

    assertFalse(out.write(pong(18)));

    assertEquals(List.of(ConnectionLimit.PENDING_BYTES), cuts);
    assertTrue(socket.aborted(), "the queued bytes were not dropped");
    assertTrue(socket.nothingWritten());
    assertTrue(out.ended());
    assertFalse(out.write(pong(19)));
    assertEquals(List.of(ConnectionLimit.PENDING_BYTES), cuts, "cut twice");
  }

  @Test
  void queueThatMakesNoProgressForTheStallTimeIsCut() {
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }

    loop.advance(9_999);
    socket.readOldest(1);
    loop.advance(10_000);
    assertTrue(cuts.isEmpty(), "cut although the socket wrote a frame within the stall time");
    // the drain is seen at the look after it: the cut comes at most a look later than 10 s after
    loop.advance(2_500);

    assertEquals(List.of(ConnectionLimit.WRITE_STALL), cuts);
    assertTrue(socket.aborted());
    assertEquals(0, loop.liveTimers(), "a timer outlived the cut");
  }

  @Test
  void stallTimeCountsFromTheLastTimeTheClientFellBehind() {
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }
    loop.advance(6_000);
    socket.catchUp();
    socket.stopReading();
    loop.advance(2_000);
    for (int seq = 5; seq <= 8; seq++) {
      out.write(frame(seq));
    }

    loop.advance(9_999);
    assertTrue(cuts.isEmpty(), "cut 9,999 ms after falling behind again");
    assertEquals(1, loop.liveTimers(), "one stall timer per connection");
    loop.advance(1);
    assertEquals(List.of(ConnectionLimit.WRITE_STALL), cuts);
  }

  @Test
  void clientThatKeepsCatchingUpIsNeverCut() {
    for (int round = 0; round < 100; round++) {
      socket.stopReading();
      for (int seq = 1; seq <= 4; seq++) {
        out.write(frame(seq));
      }
      loop.advance(500);
      socket.catchUp();
    }
    assertTrue(cuts.isEmpty());
    assertFalse(socket.closed());
    assertTrue(loop.liveTimers() <= 1, "stall timers pile up");
  }

  @Test
  void endStopsTheStallCheck() {
    socket.stopReading();
    for (int seq = 1; seq <= 4; seq++) {
      out.write(frame(seq));
    }
    out.end(pong(5));
    loop.advance(60_000);
    assertTrue(cuts.isEmpty(), "a closing connection reported as a slow reader");
  }

  @Test
  void serverFramesAreNumberedFromOne() {
    assertEquals(1, out.nextServerSeq());
    assertEquals(2, out.nextServerSeq());
  }

  private static Buffer pong(long seq) {
    return FrameEncoder.response(Command.PING, seq, new JsonObject().put("code", 0));
  }

  /** A PING response of exactly {@link #FRAME_BYTES} bytes. */
  private static Buffer frame(long seq) {
    int shell = pong(seq).length() + ",\"pad\":\"\"".length();
    Buffer frame =
        FrameEncoder.response(
            Command.PING,
            seq,
            new JsonObject().put("code", 0).put("pad", "x".repeat(FRAME_BYTES - shell)));
    assertEquals(FRAME_BYTES, frame.length());
    return frame;
  }
}
