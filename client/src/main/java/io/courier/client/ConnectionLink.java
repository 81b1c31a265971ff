package io.courier.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.NetSocket;

/**
 * What a {@link CourierConnection} runs on: a TCP socket to the gate port, or a WebSocket to the
 * WebSocket gate ({@code GET /ws}) carrying one frame per binary message. Either way the bytes in
 * go to the connection's frame decoder.
 */
interface ConnectionLink {
  void handler(Handler<Buffer> data);

  void closeHandler(Handler<Void> closed);

  /** Writes one whole frame. */
  Future<Void> write(Buffer frame);

  Future<Void> close();

  static ConnectionLink of(NetSocket socket) {
    return new ConnectionLink() {
      @Override
      public void handler(Handler<Buffer> data) {
        socket.handler(data);
      }

      @Override
      public void closeHandler(Handler<Void> closed) {
        socket.closeHandler(closed);
      }

      @Override
      public Future<Void> write(Buffer frame) {
        return socket.write(frame);
      }

      @Override
      public Future<Void> close() {
        return socket.close();
      }
    };
  }

  static ConnectionLink of(WebSocket socket) {
    return new ConnectionLink() {
      @Override
      public void handler(Handler<Buffer> data) {
        socket.binaryMessageHandler(data);
      }

      @Override
      public void closeHandler(Handler<Void> closed) {
        socket.closeHandler(closed);
      }

      @Override
      public Future<Void> write(Buffer frame) {
        return socket.writeBinaryMessage(frame);
      }

      @Override
      public Future<Void> close() {
        return socket.close();
      }
    };
  }
}
