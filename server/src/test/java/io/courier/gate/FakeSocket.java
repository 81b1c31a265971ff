package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.BodyParser;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A client socket in memory: the test feeds the client's frames in and reads what the connection
 * wrote, decoded. Its write queue is full when the test says so; closing it (from either side)
 * reports the close on the loop, later, as a real socket does.
 */
final class FakeSocket implements ClientSocket {

  /** A frame the connection wrote. */
  record Sent(int cmd, long seq, JsonObject body) {}

  private final ManualLoop loop;
  private final Queue<Sent> sent = new ArrayDeque<>();
  private final FrameDecoder decoder =
      new FrameDecoder(
          Integer.MAX_VALUE,
          new FrameDecoder.Sink() {
            @Override
            public void frame(Frame frame) {
              sent.add(new Sent(frame.cmd(), frame.seq(), json(frame.body())));
            }

            @Override
            public void violation(FrameViolation violation) {
              throw new AssertionError("the connection wrote a bad frame: " + violation.msg());
            }
          });
  private Handler<Buffer> onData;
  private Handler<Void> onClosed;
  private Handler<Void> drainHandler;
  private boolean writeQueueFull;
  private boolean paused;
  private boolean ended;
  private boolean closed;
  private boolean stalled;

  FakeSocket(ManualLoop loop) {
    this.loop = loop;
  }

  @Override
  public void start(Handler<Buffer> onData, Handler<Throwable> onError, Handler<Void> onClosed) {
    this.onData = onData;
    this.onClosed = onClosed;
  }

  @Override
  public void write(Buffer frame) {
    assertTrue(!closed, "write after close");
    decoder.feed(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return writeQueueFull;
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    drainHandler = handler;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  /** Written once flushed; a stalled client never reads it, so the socket stays open. */
  @Override
  public void end(Buffer lastFrame) {
    write(lastFrame);
    ended = true;
    if (!stalled) {
      close();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      loop.run(onClosed);
    }
  }

  @Override
  public SocketAddress remoteAddress() {
    return SocketAddress.inetSocketAddress(40000, "127.0.0.1");
  }

  /** The client sends a request {@code cmd} with {@code seq} and {@code body}. */
  void send(int cmd, long seq, JsonObject body) {
    onData.handle(FrameEncoder.encode(cmd, seq, body));
  }

  /** The client sends several frames in one write. */
  void sendTogether(Buffer... frames) {
    Buffer chunk = Buffer.buffer();
    for (Buffer frame : frames) {
      chunk.appendBuffer(frame);
    }
    onData.handle(chunk);
  }

  /** The next frame the connection wrote and the test has not read yet. */
  Sent next() {
    Sent frame = sent.poll();
    assertNotNull(frame, "no frame written");
    return frame;
  }

  /** Reads the next frame and checks its cmd and seq. */
  JsonObject next(int cmd, long seq) {
    Sent frame = next();
    assertEquals(cmd, frame.cmd(), "cmd of " + frame);
    assertEquals(seq, frame.seq(), "seq of " + frame);
    return frame.body();
  }

  boolean nothingWritten() {
    return sent.isEmpty();
  }

  void fillWriteQueue() {
    writeQueueFull = true;
  }

  /** The client stops reading: a last frame is never flushed. */
  void stall() {
    stalled = true;
  }

  /** The client caught up: the write queue has room again. */
  void drain() {
    writeQueueFull = false;
    drainHandler.handle(null);
  }

  boolean paused() {
    return paused;
  }

  /** True once the server closed, after its last frame ({@link #ended()}) or without one. */
  boolean closed() {
    return closed;
  }

  boolean ended() {
    return ended;
  }

  private static JsonObject json(Buffer body) {
    try {
      return BodyParser.parse(body);
    } catch (MalformedBodyException e) {
      throw new AssertionError("the connection wrote a bad body", e);
    }
  }
}
