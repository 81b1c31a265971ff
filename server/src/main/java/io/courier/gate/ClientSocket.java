package io.courier.gate;

import io.vertx.core.Future;
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

  /**
   * Queues {@code frame} for the client; the future completes once the socket has handed all its
   * bytes to the operating system, or failed to (the socket closed). Futures complete in the order
   * of the writes.
   */
  Future<Void> write(Buffer frame);

  /** Stops reading from the client. */
  void pause();

  void resume();

  /** Writes {@code lastFrame}, then closes. */
  void end(Buffer lastFrame);

  /** Closes once what is queued is written. */
  void close();

  /** Closes at once: what is queued for the client is dropped. */
  void abort();

  SocketAddress remoteAddress();
}
