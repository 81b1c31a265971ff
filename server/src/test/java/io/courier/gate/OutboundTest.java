package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The back-pressure between writing to a client and reading from it, and the closing frame. */
class OutboundTest {
  private final ManualLoop loop = new ManualLoop();
  private final FakeSocket socket = new FakeSocket(loop);
  private final Outbound out = new Outbound(socket, loop);

  @BeforeEach
  void start() {
    socket.start(data -> {}, failure -> {}, closed -> {});
  }

  @Test
  void fullWriteQueuePausesReadingUntilItDrains() {
    out.write(pong(1));
    assertFalse(socket.paused());

    socket.fillWriteQueue();
    out.write(pong(2));
    assertTrue(socket.paused());
    assertTrue(out.full());

    socket.drain();
    assertFalse(socket.paused());
    assertFalse(out.full());
  }

  @Test
  void readingStaysPausedWhileALoginIsDecidedEvenWhenTheQueueDrains() {
    out.holdReading(true);
    socket.fillWriteQueue();
    out.write(pong(1));

    socket.drain();
    assertTrue(socket.paused(), "reading resumed while the login is decided");

    out.holdReading(false);
    assertFalse(socket.paused());
  }

  @Test
  void readingIsResumedNeitherAfterTheEndNorAfterTheSocketClosed() {
    socket.fillWriteQueue();
    out.write(pong(1));
    out.end(null);

    socket.drain();
    out.holdReading(false);

    assertTrue(socket.paused());
    assertTrue(socket.closed());
  }

  @Test
  void lastFrameIsWrittenAndTheSocketClosedAtTheLatestAfterTheGrace() {
    socket.stall();
    out.end(pong(7));
    socket.next(Command.PING.responseCode(), 7);
    assertFalse(socket.closed());

    loop.advance(Outbound.CLOSE_GRACE_MS - 1);
    assertFalse(socket.closed());
    loop.advance(1);
    assertTrue(socket.closed());
  }

  @Test
  void serverFramesAreNumberedFromOne() {
    assertEquals(1, out.nextServerSeq());
    assertEquals(2, out.nextServerSeq());
  }

  private static Buffer pong(long seq) {
    return FrameEncoder.response(Command.PING, seq, new JsonObject().put("code", 0));
  }
}
