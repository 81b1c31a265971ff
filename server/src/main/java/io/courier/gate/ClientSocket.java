package io.courier.gate;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * The parts of a client's TCP socket that a connection uses: its bytes in, its frames out, and the
 * flow control between the two. An interface so that unit tests can stand in for the network.
 *
 * <p>A socket is made with the connection's {@code writeQueueBytes}: it is <em>full</em> once that
 * many bytes are queued for the client, and <em>drained</em> once a full queue is back to half of
 * that. It reports nothing per write (on the TCP gate a listener per frame was the largest
 * allocation of the push path): the connection asks how much is queued ({@link #queuedBytes}) and
 * is told when the queue has drained ({@link #drainHandler}).
 */
interface ClientSocket {

  /**
   * Starts reading: each chunk read goes to {@code onData}, a socket error to {@code onError}, and
   * {@code onClosed} runs once the socket has closed, from either side.
   */
  void start(Handler<Buffer> onData, Handler<Throwable> onError, Handler<Void> onClosed);

  /** Queues {@code frame} for the client; after a close it is dropped. */
  void write(Buffer frame);

  /**
   * Bytes queued for the client that the socket has not yet handed to the operating system, as the
   * socket counts them (the TCP gate's include what its buffers cost beside the bytes); 0 once
   * closed.
   */
  long queuedBytes();

  /**
   * Runs {@code onDrained}, on the connection's loop, each time the queue drains after having been
   * full; it may run at other times as well.
   */
  void drainHandler(Handler<Void> onDrained);

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
