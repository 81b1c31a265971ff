package io.courier.gate;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.body.KickBody;
import io.courier.protocol.body.Result;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The frames a connection writes to its client, and the back-pressure that writing puts on reading.
 * Confined to the connection's event loop.
 *
 * <p>The connection reads while neither a login is being decided ({@link #holdReading}) nor the
 * client is behind on reading what was written: when the socket's write queue is full, reading
 * stops until it drains, so a client that does not read cannot make the server queue responses
 * without bound. Pushes are refused meanwhile ({@link #full()}); their messages wait offline.
 *
 * <p>It also numbers the frames the server sends on its own (PUSH, KICK): one counter per
 * connection, starting at 1.
 */
final class Outbound {

  /**
   * How long a closing connection may take to flush its last frame before the socket is closed
   * anyway.
   */
  static final long CLOSE_GRACE_MS = 2_000;

  private final ClientSocket socket;
  private final GateLoop loop;
  private long serverSeq;
  private boolean queueFull;
  private boolean held;
  private boolean ended;

  Outbound(ClientSocket socket, GateLoop loop) {
    this.socket = socket;
    this.loop = loop;
  }

  void write(Buffer frame) {
    socket.write(frame);
    if (!queueFull && socket.writeQueueFull()) {
      queueFull = true;
      updateReading();
      socket.drainHandler(
          v -> {
            queueFull = false;
            updateReading();
          });
    }
  }

  /** The response to the request {@code seq} of {@code command}. */
  void respond(Command command, long seq, JsonObject body) {
    write(FrameEncoder.response(command, seq, body));
  }

  /** ERROR {@code code} about the frame {@code seq}; the connection stays open. */
  void error(Code code, long seq, String msg) {
    write(errorFrame(code, seq, msg));
  }

  /** An ERROR frame, for {@link #error} or as the last frame before a close. */
  static Buffer errorFrame(Code code, long seq, String msg) {
    return FrameEncoder.encode(Command.ERROR.code(), seq, Result.error(code, msg).toJson());
  }

  /** A KICK {@code code}, numbered as the next frame the server sends on its own. */
  Buffer kickFrame(Code code) {
    return FrameEncoder.encode(Command.KICK.code(), nextServerSeq(), new KickBody(code).toJson());
  }

  /** True while the client is behind on reading: nothing but responses should be written. */
  boolean full() {
    return queueFull;
  }

  /** The seq of the next frame the server sends on its own. */
  long nextServerSeq() {
    return ++serverSeq;
  }

  /**
   * Stops reading while {@code hold} (a login is being decided), else reads if the queue allows.
   */
  void holdReading(boolean hold) {
    held = hold;
    updateReading();
  }

  /**
   * Writes {@code lastFrame}, if any, and closes the socket: once the frame is flushed, or after
   * {@link #CLOSE_GRACE_MS} at the latest.
   */
  void end(Buffer lastFrame) {
    ended = true;
    if (lastFrame == null) {
      socket.close();
    } else {
      socket.end(lastFrame);
      loop.setTimer(CLOSE_GRACE_MS, id -> socket.close());
    }
  }

  /** True once the connection is closing or closed: nothing more is to be written. */
  boolean ended() {
    return ended;
  }

  /** The socket has closed: reading is no longer paused or resumed. */
  void closed() {
    ended = true;
  }

  private void updateReading() {
    if (ended) {
      return;
    }
    if (queueFull || held) {
      socket.pause();
    } else {
      socket.resume();
    }
  }
}
