package io.courier.gate;

import io.courier.protocol.Code;
import io.vertx.core.Completable;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.SocketAddress;

/**
 * A client connection over WebSocket: each binary message is one protocol frame in, each frame out
 * one binary message. What is not a binary message of one whole frame ({@link WebSocketFraming}) is
 * answered with ERROR 400 (seq 0) and the WebSocket closed with status 1003 (a text message) or
 * 1002 (a frame not alone in its message), and a message in fragments past the largest frame with
 * ERROR 413 and status 1009, without reaching the connection.
 *
 * @implNote Its frames go through Vert.x's {@code writeBinaryMessage}, a future each, whose
 *     completions count what is queued exactly ({@link PendingWrites}): Vert.x 5 has no
 *     promise-free write for a WebSocket that keeps its framing, and the TCP gate, not this one,
 *     carries the load.
 */
final class WebSocketClientSocket implements ClientSocket {

  /** WebSocket close status: the endpoint received a type of data it cannot accept. */
  static final short UNSUPPORTED_DATA = 1003;

  /** WebSocket close status: a protocol error. */
  static final short PROTOCOL_ERROR = 1002;

  /** WebSocket close status: a message too big to process. */
  static final short MESSAGE_TOO_BIG = 1009;

  private final ServerWebSocket socket;
  private final int maxBody;
  private final WebSocketMetrics metrics;
  private final long fullBytes;
  private final PendingWrites pending = new PendingWrites();

  /** Listens to every write's future: one object, not one per frame. */
  private final Completable<Void> written = (result, failure) -> written();

  private Handler<Void> onDrained = v -> {};
  private boolean full;
  private boolean refused;

  WebSocketClientSocket(
      ServerWebSocket socket, int writeQueueBytes, int maxBody, WebSocketMetrics metrics) {
    this.socket = socket;
    this.maxBody = maxBody;
    this.metrics = metrics;
    this.fullBytes = writeQueueBytes;
    socket.setWriteQueueMaxSize(writeQueueBytes);
  }

  @Override
  public void start(Handler<Buffer> onData, Handler<Throwable> onError, Handler<Void> onClosed) {
    socket.binaryMessageHandler(
        message -> {
          if (refused) {
            return;
          }
          String refusal = WebSocketFraming.refusal(message, maxBody);
          if (refusal == null) {
            onData.handle(message);
          } else {
            refuse(WebSocketMetrics.Refusal.SPLIT, Code.BAD_REQUEST, PROTOCOL_ERROR, refusal);
          }
        });
    socket.textMessageHandler(
        text ->
            refuse(
                WebSocketMetrics.Refusal.TEXT,
                Code.BAD_REQUEST,
                UNSUPPORTED_DATA,
                "text WebSocket message: send each frame as one binary message"));
    socket.closeHandler(onClosed);
    // a draining gate kicks each connection itself, within the server's shutdown window
    socket.shutdownHandler(v -> {});
    socket.exceptionHandler(
        failure -> {
          if (failure instanceof IllegalStateException) {
            // Vert.x's message aggregation refuses fragments past the maximum message size
            refuse(
                WebSocketMetrics.Refusal.TOO_LARGE,
                Code.TOO_LARGE,
                MESSAGE_TOO_BIG,
                "WebSocket message larger than a frame of the maximum body");
          } else {
            onError.handle(failure);
          }
        });
  }

  private void refuse(WebSocketMetrics.Refusal reason, Code code, short status, String msg) {
    if (refused) {
      return;
    }
    refused = true;
    metrics.refused(reason);
    socket.pause();
    socket
        .writeBinaryMessage(Outbound.errorFrame(code, 0, msg))
        .eventually(() -> socket.close(status, reason.tag()));
  }

  @Override
  public void write(Buffer frame) {
    // counted before the write: a write to a closed socket completes at once
    pending.add(frame.length());
    socket.writeBinaryMessage(frame).onComplete(written);
    if (pending.bytes() >= fullBytes) {
      full = true;
    }
  }

  private void written() {
    pending.completeOldest();
    if (full && pending.bytes() <= fullBytes / 2) {
      full = false;
      onDrained.handle(null);
    }
  }

  @Override
  public long queuedBytes() {
    return pending.bytes();
  }

  @Override
  public void drainHandler(Handler<Void> onDrained) {
    this.onDrained = onDrained;
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    if (!refused) {
      socket.resume();
    }
  }

  @Override
  public void end(Buffer lastFrame) {
    socket.writeBinaryMessage(lastFrame).eventually(() -> socket.close());
  }

  @Override
  public void close() {
    socket.close();
  }

  /**
   * @implNote A WebSocket close waits for the close frame to be written after what is queued; for a
   *     client that does not read, the channel is closed at once, as {@link NetClientSocket} does.
   */
  @Override
  public void abort() {
    ((WebSocketInternal) socket).channelHandlerContext().close();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }
}
