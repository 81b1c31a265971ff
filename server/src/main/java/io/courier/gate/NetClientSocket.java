package io.courier.gate;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.VertxConnection;

/**
 * A client connection's Vert.x socket, whose frames go to its Netty channel without a promise.
 *
 * @implNote {@code NetSocket.write} makes, per frame, a Vert.x promise, a Netty channel promise
 *     with its listener, and a task and a node in Vert.x's write queue: the largest source of
 *     allocation of the push path. {@link VertxConnection#write(Object, boolean)} is the method
 *     that queue itself calls, with Netty's void promise: on the channel's event loop (where the
 *     connection runs), it writes to the pipeline at once, and while a read is being handled it
 *     leaves the flush to the end of the read, as Vert.x does for its own writes. The frames bypass
 *     Vert.x's queue, which therefore stays empty (only {@link #end} and {@link #close} pass
 *     through it, after the last frame) and never reorders them.
 *     <p>What is queued is then all in the channel: its {@link ChannelOutboundBuffer} counts the
 *     bytes of each frame not yet written plus 96 bytes of bookkeeping per frame, and, on a TLS
 *     gate, also the plaintext that waits in Netty's {@code SslHandler} for the flush that encrypts
 *     it (the handler reports its pending bytes to that buffer), then the ciphertext. So {@link
 *     #queuedBytes} bounds all that a client that does not read makes the node hold for it. The
 *     channel's water marks are set so that it turns unwritable exactly when {@code
 *     writeQueueBytes} are queued and writable again at half of that, and a handler before Vert.x's
 *     reports the latter ({@link #drainHandler}): Vert.x's own drain handler only fires for its
 *     queue, which these writes never fill.
 */
final class NetClientSocket implements ClientSocket {
  private final NetSocket socket;
  private final VertxConnection connection;
  private final ChannelHandlerContext context;

  NetClientSocket(NetSocket socket, int writeQueueBytes) {
    this.socket = socket;
    this.connection = (VertxConnection) socket;
    this.context = ((NetSocketInternal) socket).channelHandlerContext();
    // Netty turns unwritable above the high mark and writable below the low one
    context
        .channel()
        .config()
        .setWriteBufferWaterMark(
            new WriteBufferWaterMark(writeQueueBytes / 2 + 1, writeQueueBytes - 1));
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
    connection.write(((BufferInternal) frame).getByteBuf(), false);
  }

  @Override
  public long queuedBytes() {
    ChannelOutboundBuffer queued = context.channel().unsafe().outboundBuffer();
    return queued == null ? 0 : queued.totalPendingWriteBytes();
  }

  @Override
  public void drainHandler(Handler<Void> onDrained) {
    context.pipeline().addBefore(context.name(), "courier-drain", new Drained(onDrained));
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
    context.close();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  /** Tells the connection that its channel turned writable: the queue fell below half. */
  private static final class Drained extends ChannelInboundHandlerAdapter {
    private final Handler<Void> onDrained;

    Drained(Handler<Void> onDrained) {
      this.onDrained = onDrained;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        onDrained.handle(null);
      }
      ctx.fireChannelWritabilityChanged();
    }
  }
}
