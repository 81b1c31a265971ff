package io.courier.bridge;

import io.courier.config.CourierConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * One business connection and its private connection to the internal bridge. All methods run on the event
 * loop that accepted the business socket (the internal socket is opened from it, so it shares the loop).
 *
 * <pre>
 *  business --frames--> [InboundFrameReader: length bound] --> [FrameCheck] --ok--> internal bridge
 *                                                                    |
 *                                          refused: a ping goes to the bridge instead, and
 *  business <--bytes--- [OutboundFrames: its pong becomes the err] <------------------ internal bridge
 * </pre>
 *
 * <p>Back-pressure, business to bridge: when the internal socket's write queue is full, the business is not
 * read until it drains.
 *
 * <p>Back-pressure, bridge to business: when the business's write queue is full (more than the high-water
 * mark queued), the business is not read until it drains, so its own requests, pings and bad frames stop
 * adding output. The bridge's output is still read and queued, and a business whose queue then exceeds
 * {@link Limits#outputLimitBytes()} is disconnected at once ({@link #abort()}).
 *
 * @implNote Pausing the internal socket instead ("pause the source") was rejected: the bridge ignores
 * {@code writeQueueFull}, so a paused reader only moves the unbounded queue into the bridge's own socket,
 * where nothing can see or bound it. What keeps producing output while the business is paused is
 * platform traffic to its registrations (C2S messages, receipts), which cannot be paused without losing
 * it anyway; disconnecting unregisters them, so later C2S requests go to the address's other consumers,
 * and the ones in flight time out into routing's retry.
 */
final class GuardedConnection implements InboundFrameReader.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedConnection.class);

  private static final int PAUSED_CONNECTING = 1;
  private static final int PAUSED_OUTPUT_FULL = 2;
  private static final int PAUSED_BRIDGE_FULL = 4;
  private static final int PAUSED_CLOSING = 8;

  /**
   * Limits shared by the connections of one bridge.
   *
   * @param maxFrameBytes largest frame body a business may send; a longer announced length closes
   * @param writeQueueBytes high-water mark of a business's write queue, above which it is not read
   * @param outputLimitBytes bytes queued for a business (not yet taken by its socket) above which it is closed
   */
  record Limits(int maxFrameBytes, int writeQueueBytes, long outputLimitBytes) {
    /** Never disconnect a business for less queued output than this: 1 MiB. */
    static final long MIN_OUTPUT_LIMIT_BYTES = 1L << 20;

    /**
     * From the configuration: frames up to {@code bridge.maxFrameBytes}; stop reading at that much queued
     * output; disconnect at four times that, at least {@value #MIN_OUTPUT_LIMIT_BYTES} bytes.
     */
    static Limits of(CourierConfig config) {
      int maxFrame = config.bridgeMaxFrameBytes();
      return new Limits(maxFrame, maxFrame, Math.max(MIN_OUTPUT_LIMIT_BYTES, 4L * maxFrame));
    }
  }

  /** What goes to the business in place of one expected pong; {@code closeAfter} ends the connection. */
  private record PongSlot(Buffer frame, boolean closeAfter) {
    static final PongSlot PASS = new PongSlot(Frames.PONG, false);
  }

  private final NetSocket client;
  private final Runnable onClosed;
  private final FrameCheck check;
  private final Limits limits;
  private final InboundFrameReader reader;
  private final OutboundFrames outbound = new OutboundFrames();
  /** One slot per ping sent to the bridge and not yet answered, in order. */
  private final ArrayDeque<PongSlot> pongs = new ArrayDeque<>();
  /**
   * Addresses this connection registered. The bridge keeps one consumer per address and connection and
   * replaces it on a second register without unregistering the first: that consumer would outlive the
   * connection and take its share of C2S messages forever, unanswered.
   */
  private final Set<String> registered = new HashSet<>();
  private NetSocket internal;
  private int paused;
  private long queuedOutput;
  private boolean closeAfterOutput;
  private boolean closed;

  /** @param onClosed runs once, when the business socket has closed */
  GuardedConnection(NetSocket client, FrameCheck check, Limits limits, Runnable onClosed) {
    this.client = client;
    this.onClosed = onClosed;
    this.check = check;
    this.limits = limits;
    this.reader = new InboundFrameReader(limits.maxFrameBytes(), this);
  }

  /** Starts: the business is read once its internal connection is open. */
  void open(NetClient bridgeClient, SocketAddress bridge) {
    pause(PAUSED_CONNECTING);
    client.setWriteQueueMaxSize(limits.writeQueueBytes());
    client.handler(reader::feed);
    client.closeHandler(v -> {
      onClosed.run();
      close();
    });
    client.exceptionHandler(e -> LOG.debug("bridge client {}: {}", client.remoteAddress(), e.toString()));
    bridgeClient.connect(bridge).onComplete(connected -> {
      if (connected.failed()) {
        LOG.error("bridge client {}: cannot reach the internal bridge", client.remoteAddress(), connected.cause());
        close();
      } else {
        attach(connected.result());
      }
    });
  }

  private void attach(NetSocket socket) {
    internal = socket;
    if (closed) {
      socket.close();
      return;
    }
    socket.handler(this::fromBridge);
    socket.closeHandler(v -> close());
    socket.exceptionHandler(e -> LOG.debug("bridge client {}: internal socket: {}", client.remoteAddress(), e.toString()));
    resume(PAUSED_CONNECTING);
  }

  @Override
  public void frame(Buffer body) {
    if (closed) {
      return;
    }
    FrameCheck.Verdict verdict = check.check(body);
    if (!verdict.passed()) {
      refuse(verdict.errFrame(), false);
      return;
    }
    String address = verdict.address();
    switch (verdict.type()) {
      case PING:
        pongs.add(PongSlot.PASS);
        break;
      case REGISTER:
        if (BridgePolicy.mayRegister(address) && !registered.add(address)) {
          refuse(Frames.err(GuardError.ALREADY_REGISTERED, null), false);
          return;
        }
        break;
      case UNREGISTER:
        registered.remove(address);
        break;
      default:
        break;
    }
    toBridge(verdict.frame());
  }

  @Override
  public void tooLarge(long length) {
    LOG.info("bridge client {}: frame of {} bytes exceeds the maximum of {}; closing", client.remoteAddress(),
      length, limits.maxFrameBytes());
    pause(PAUSED_CLOSING);
    refuse(Frames.err(GuardError.FRAME_TOO_LARGE, null), true);
  }

  /** Answers with {@code err} in order: it replaces the pong of a ping sent to the bridge now. */
  private void refuse(Buffer err, boolean closeAfter) {
    pongs.add(new PongSlot(err, closeAfter));
    toBridge(Frames.PING);
  }

  private void toBridge(Buffer frame) {
    internal.write(frame);
    if (internal.writeQueueFull()) {
      pause(PAUSED_BRIDGE_FULL);
      internal.drainHandler(v -> resume(PAUSED_BRIDGE_FULL));
    }
  }

  private void fromBridge(Buffer chunk) {
    if (closed) {
      return;
    }
    Buffer out = outbound.feed(chunk, this::nextPong);
    Future<Void> written = out.length() == 0 ? Future.succeededFuture() : toClient(out);
    if (closeAfterOutput) {
      written.onComplete(v -> close());
    }
  }

  private Buffer nextPong() {
    PongSlot slot = pongs.poll();
    if (slot == null) {
      return Frames.PONG;
    }
    closeAfterOutput |= slot.closeAfter();
    return slot.frame();
  }

  private Future<Void> toClient(Buffer out) {
    int length = out.length();
    queuedOutput += length;
    Future<Void> written = client.write(out);
    written.onComplete(v -> queuedOutput -= length);
    if (queuedOutput > limits.outputLimitBytes()) {
      LOG.warn("bridge client {}: {} bytes of output queued, more than {}: not reading; disconnecting",
        client.remoteAddress(), queuedOutput, limits.outputLimitBytes());
      abort();
    } else if (client.writeQueueFull()) {
      pause(PAUSED_OUTPUT_FULL);
      client.drainHandler(v -> resume(PAUSED_OUTPUT_FULL));
    }
    return written;
  }

  private void pause(int reason) {
    if (paused == 0) {
      client.pause();
    }
    paused |= reason;
  }

  private void resume(int reason) {
    if ((paused & reason) == 0) {
      return;
    }
    paused &= ~reason;
    if (paused == 0 && !closed) {
      client.resume();
    }
  }

  /** The way a connection ends, from either side: both sockets close together, output already queued is flushed. */
  private void close() {
    if (closed) {
      return;
    }
    closeInternal();
    client.close();
  }

  /**
   * Like {@link #close()}, but the queued output is dropped: a graceful {@code NetSocket.close()} first waits
   * until the queue is flushed, which a business that does not read never lets happen, so the socket and its
   * queue would live as long as the business does.
   *
   * @implNote The only way to close a Vert.x 5 socket without flushing is Netty's close on the socket's
   * handler context (what Vert.x itself does on an idle timeout), reached through the internal
   * {@link NetSocketInternal} API; the connection tests check that it still happens while the business
   * reads nothing.
   */
  private void abort() {
    if (closed) {
      return;
    }
    closeInternal();
    if (client instanceof NetSocketInternal) {
      ((NetSocketInternal) client).channelHandlerContext().close();
    } else {
      client.close();
    }
  }

  private void closeInternal() {
    closed = true;
    reader.stop();
    pongs.clear();
    if (internal != null) {
      internal.close();
    }
  }
}
