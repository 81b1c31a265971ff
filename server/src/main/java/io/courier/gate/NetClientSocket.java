package io.courier.gate;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/** A client connection's Vert.x socket. */
final class NetClientSocket implements ClientSocket {
  private final NetSocket socket;

  NetClientSocket(NetSocket socket, int writeQueueBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueBytes);
  }

  @Override
  public void start(Handler<Buffer> onData, Handler<Throwable> onError, Handler<Void> onClosed) {
    socket.handler(onData);
    socket.closeHandler(onClosed);
    // a draining gate kicks each connection itself, within the server's shutdown window
    socket.shutdownHandler(v -> {});
    socket.exceptionHandler(onError);
  }

  @Override
  public Future<Void> write(Buffer frame) {
    return socket.write(frame);
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void end(Buffer lastFrame) {
    socket.end(lastFrame);
  }

  @Override
  public void close() {
    socket.close();
  }

  /**
   * @implNote {@code NetSocket.close()} first flushes the queue, which a client that does not read
   *     never lets happen; Netty's close on the socket's handler context (what Vert.x itself does
   *     on an idle timeout) closes at once and fails the queued writes. The bridge's {@code
   *     GuardedConnection} does the same for a business that does not read.
   */
  @Override
  public void abort() {
    ((NetSocketInternal) socket).channelHandlerContext().close();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }
}
