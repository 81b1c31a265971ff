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
 * wrote, decoded. The client reads everything at once (nothing stays queued) until the test stops
 * it ({@link #stopReading()}); its writes then wait, in order, until it catches up. As the TCP
 * gate's socket, it reports only that a full queue ({@code writeQueueBytes}) drained to half, not
 * each write. Closing it (from either side) reports the close on the loop, later, as a real socket
 * does.
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

  private final long fullBytes;

  /** The lengths of the writes the client has not read yet. */
  private final Queue<Integer> unread = new ArrayDeque<>();

  private Handler<Buffer> onData;
  private Handler<Void> onDrained = v -> {};
  private boolean full;
  private Handler<Void> onClosed;
  private boolean reading = true;
  private boolean closing;
  private boolean paused;
  private boolean ended;
  private boolean closed;
  private boolean aborted;
  private long unreadBytes;

  /** With the write queue of {@link ConnectionTest#SETTINGS}. */
  FakeSocket(ManualLoop loop) {
    this(loop, ConnectionTest.SETTINGS.writeQueueBytes());
  }

  FakeSocket(ManualLoop loop, int writeQueueBytes) {
    this.loop = loop;
    this.fullBytes = writeQueueBytes;
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
    if (reading) {
      return;
    }
    unread.add(frame.length());
    unreadBytes += frame.length();
    if (unreadBytes >= fullBytes) {
      full = true;
    }
  }

  @Override
  public long queuedBytes() {
    return unreadBytes;
  }

  @Override
  public void drainHandler(Handler<Void> onDrained) {
    this.onDrained = onDrained;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  /** Written once flushed; a client that does not read never gets it, so the socket stays open. */
  @Override
  public void end(Buffer lastFrame) {
    write(lastFrame);
    ended = true;
    close();
  }

  /** Closes once the client has read what is queued; a client that does not read keeps it open. */
  @Override
  public void close() {
    closing = true;
    if (reading) {
      closeNow();
    }
  }

  @Override
  public void abort() {
    aborted = true;
    closeNow();
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

  /** The client stops reading: writes wait, and a close waits for them. */
  void stopReading() {
    reading = false;
  }

  /** The client reads what waits, oldest first, and keeps reading. */
  void catchUp() {
    reading = true;
    readOldest(unread.size());
    if (closing) {
      closeNow();
    }
  }

  /** The client reads the {@code frames} oldest writes that wait, and still reads no further. */
  void readOldest(int frames) {
    for (int i = 0; i < frames; i++) {
      unreadBytes -= unread.poll();
      if (full && unreadBytes <= fullBytes / 2) {
        full = false;
        onDrained.handle(null);
      }
    }
  }

  /**
   * Reads the {@code frames} oldest writes without the socket telling the connection, as a TLS
   * channel may: turned writable by the drain but above half again, at once, by what it encrypted.
   */
  void readOldestUnannounced(int frames) {
    for (int i = 0; i < frames; i++) {
      unreadBytes -= unread.poll();
    }
    if (unreadBytes <= fullBytes / 2) {
      full = false;
    }
  }

  /** Bytes written and not yet read by a client that stopped reading. */
  long unreadBytes() {
    return unreadBytes;
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

  /** True once the server closed at once, dropping what the client had not read. */
  boolean aborted() {
    return aborted;
  }

  /** The server closes, or the client does: writes still waiting are dropped. */
  private void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    unreadBytes = 0;
    unread.clear();
    loop.run(onClosed);
  }

  private static JsonObject json(Buffer body) {
    try {
      return BodyParser.parse(body);
    } catch (MalformedBodyException e) {
      throw new AssertionError("the connection wrote a bad body", e);
    }
  }
}
