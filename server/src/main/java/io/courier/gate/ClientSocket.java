package io.courier.gate;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * The parts of a client's TCP socket that a connection uses: its bytes in, its frames out, and the
 * flow control between the two. An interface so that unit tests can stand in for the network.
 */
interface ClientSocket {

  /**
   * Starts reading: each chunk read goes to {@code onData}, a socket error to {@code onError}, and
   * {@code onClosed} runs once the socket has closed, from either side.
   */
  void start(Handler<Buffer> onData, Handler<Throwable> onError, Handler<Void> onClosed);

  void write(Buffer frame);

  /** True when more is queued for the client than the write queue's limit. */
  boolean writeQueueFull();

  /** {@code handler} runs once the write queue has room again. */
  void drainHandler(Handler<Void> handler);

  /** Stops reading from the client. */
  void pause();

  void resume();

  /** Writes {@code lastFrame}, then closes. */
  void end(Buffer lastFrame);

  void close();

  SocketAddress remoteAddress();
}
