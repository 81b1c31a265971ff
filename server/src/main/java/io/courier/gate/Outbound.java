package io.courier.gate;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.body.KickBody;
import io.courier.protocol.body.Result;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The frames a connection writes to its client, the back-pressure that writing puts on reading, and
 * the cut of a client that does not read. Confined to the connection's event loop.
 *
 * <p>The bytes queued for the client are the socket's count ({@link ClientSocket#queuedBytes}). The
 * connection reads while neither a login is being decided ({@link #holdReading}) nor the client is
 * behind: once {@code writeQueueBytes} are queued, reading stops, and pushes are refused ({@link
 * #full()}; their messages wait offline), until the queue has drained to half of that. So a client
 * that does not read makes the server queue little more than responses to requests it had already
 * sent.
 *
 * <p>A client that stays behind is cut, without a frame (it would not read it): when a frame is due
 * while more than {@code maxPendingBytes} are queued, or when the queue has not drained for {@code
 * writeStallMs}. The connection learns of it through {@link SlowReader}.
 *
 * <p>It also numbers the frames the server sends on its own (PUSH, KICK): one counter per
 * connection, starting at 1.
 *
 * @implNote The socket says nothing per write, so while the client is behind the queue is looked at
 *     every quarter of {@code writeStallMs} (and on each answer written): a look that finds less
 *     queued than the last one counts as progress at that moment (on a TLS gate, an answer
 *     encrypted at the end of a read can hide from one look a drain smaller than the record's
 *     overhead). So a client is never cut less than {@code writeStallMs} after the queue last
 *     drained, and at most a quarter of that later; a client that drains nothing is cut exactly
 *     {@code writeStallMs} after it fell behind. Per write, the alternative was a listener on each
 *     write's future: exact, but the largest allocation of the push path.
 */
final class Outbound {

  /**
   * How long a closing connection may take to flush its last frame before the socket is closed
   * anyway.
   */
  static final long CLOSE_GRACE_MS = 2_000;

  /** Looks at the queue of a client that is behind this many times per {@code writeStallMs}. */
  private static final int STALL_LOOKS = 4;

  /** Told when the client is cut for not reading; the socket is already being closed. */
  interface SlowReader {
    void cut(ConnectionLimit limit);
  }

  private final ClientSocket socket;
  private final GateLoop loop;
  private final SlowReader slowReader;
  private final long behindBytes;
  private final long caughtUpBytes;
  private final long maxPendingBytes;
  private final long writeStallMs;
  private final long lookMs;
  private final Handler<Long> stallCheck = id -> checkStall();
  private long serverSeq;
  private boolean behind;

  /** While behind: when the queue was last seen draining, or else when the client fell behind. */
  private long drainedNanos;

  /** While behind: the bytes queued when last looked at. */
  private long queuedWhenSeen;

  private long stallTimer = -1;
  private long closeTimer = -1;
  private boolean held;
  private boolean ended;

  Outbound(ClientSocket socket, GateLoop loop, ConnectionSettings settings, SlowReader slowReader) {
    this.socket = socket;
    this.loop = loop;
    this.slowReader = slowReader;
    this.behindBytes = settings.writeQueueBytes();
    this.caughtUpBytes = settings.writeQueueBytes() / 2;
    this.maxPendingBytes = settings.maxPendingBytes();
    this.writeStallMs = settings.writeStallMs();
    this.lookMs = Math.max(1, writeStallMs / STALL_LOOKS);
    socket.drainHandler(v -> drained());
  }

  /**
   * Queues {@code frame}, one the server sends on its own (a PUSH, a KICK), for the client; false
   * when it was not written because the connection has ended, or is cut now for having more than
   * {@code maxPendingBytes} queued already.
   */
  boolean write(Buffer frame) {
    if (ended) {
      return false;
    }
    if (socket.queuedBytes() > maxPendingBytes) {
      cut(ConnectionLimit.PENDING_BYTES);
      return false;
    }
    enqueue(frame);
    return true;
  }

  /**
   * Queues an answer to the client's own request without the {@code maxPendingBytes} cut: answers
   * are already bounded by the requests a connection may have in flight (32) times the largest
   * answer (a page of at most 256 KiB of content), and cutting a client for the pages it asked for
   * would cut a phone on a slow link that opens several conversations at once, on every reconnect.
   * A client that asks and never reads is still cut by the write stall.
   */
  private void answer(Buffer frame) {
    if (!ended) {
      enqueue(frame);
    }
  }

  private void enqueue(Buffer frame) {
    if (behind) {
      // only answers are written while behind: the look before leaves their own bytes out
      look();
      socket.write(frame);
      queuedWhenSeen = socket.queuedBytes();
    } else {
      socket.write(frame);
      if (socket.queuedBytes() >= behindBytes) {
        fellBehind();
      }
    }
  }

  /** The response to the request {@code seq} of {@code command}. */
  void respond(Command command, long seq, JsonObject body) {
    answer(FrameEncoder.response(command, seq, body));
  }

  /** ERROR {@code code} about the frame {@code seq}; the connection stays open. */
  void error(Code code, long seq, String msg) {
    answer(errorFrame(code, seq, msg));
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
    return behind;
  }

  /** Bytes queued for the client and not yet written by the socket. */
  long pendingBytes() {
    return socket.queuedBytes();
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
   * Writes {@code lastFrame}, if any, and closes the socket: once what is queued is flushed, or
   * after {@link #CLOSE_GRACE_MS} at the latest, dropping what a client that does not read left
   * queued.
   */
  void end(Buffer lastFrame) {
    stopWriting();
    if (lastFrame == null) {
      socket.close();
    } else {
      socket.end(lastFrame);
    }
    closeTimer = loop.setTimer(CLOSE_GRACE_MS, id -> socket.abort());
  }

  /** True once the connection is closing or closed: nothing more is to be written. */
  boolean ended() {
    return ended;
  }

  /** The socket has closed: reading is no longer paused or resumed. */
  void closed() {
    stopWriting();
    if (closeTimer != -1) {
      // a closed connection's graph is not kept alive by its grace timer (a drain closes thousands)
      loop.cancelTimer(closeTimer);
      closeTimer = -1;
    }
  }

  private void fellBehind() {
    behind = true;
    drainedNanos = loop.nanoTime();
    queuedWhenSeen = socket.queuedBytes();
    updateReading();
    if (stallTimer == -1) {
      stallTimer = loop.setTimer(lookMs, stallCheck);
    }
  }

  /**
   * The socket's queue has drained, or may have. Also run by the stall check: on a TLS gate the
   * plaintext encrypted in the same turn as a drain can leave the channel writable above half,
   * which no further event would report.
   */
  private void drained() {
    if (!behind) {
      return;
    }
    if (socket.queuedBytes() <= caughtUpBytes) {
      behind = false;
      updateReading();
    } else {
      look();
    }
  }

  /**
   * Progress: the stall is counted from the last time the queue was seen draining, so a client on a
   * slow link that keeps reading a large page is not cut for being slow.
   */
  private void look() {
    long queued = socket.queuedBytes();
    if (queued < queuedWhenSeen) {
      drainedNanos = loop.nanoTime();
    }
    queuedWhenSeen = queued;
  }

  /**
   * The stall timer is armed when the client falls behind and not cancelled when it catches up, so
   * a client that goes in and out of full many times a second costs no timer churn: when it fires,
   * it looks at the current episode only.
   */
  private void checkStall() {
    stallTimer = -1;
    if (ended || !behind) {
      return;
    }
    drained();
    if (!behind) {
      return;
    }
    long stalledMs = TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - drainedNanos);
    if (stalledMs >= writeStallMs) {
      cut(ConnectionLimit.WRITE_STALL);
    } else {
      stallTimer = loop.setTimer(Math.min(lookMs, writeStallMs - stalledMs), stallCheck);
    }
  }

  private void cut(ConnectionLimit limit) {
    stopWriting();
    slowReader.cut(limit);
    socket.abort();
  }

  private void stopWriting() {
    ended = true;
    if (stallTimer != -1) {
      loop.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  private void updateReading() {
    if (ended) {
      return;
    }
    if (behind || held) {
      socket.pause();
    } else {
      socket.resume();
    }
  }
}
