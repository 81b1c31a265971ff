package io.courier.gate;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
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
  public void write(Buffer frame) {
    socket.write(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
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

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }
}
