package io.courier.bridge;

import io.courier.config.CourierConfig;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One business connection and its connection to the bridge ({@link BridgeLink}, in process). All
 * methods run on the event loop that accepted the business socket; the bridge's consumers and
 * requests for this connection run there too.
 *
 * <pre>
 *  business --bytes--> [InboundFrameReader: length bound] --frame--> [FrameCheck] --ok--> bridge
 *                                                                          | refused: err
 *  business <--one write per turn-- [OutputBatch] <-------------------------+---------- bridge output
 * </pre>
 *
 * <p>Order: the bridge handles a frame before the guard reads the next one, and its immediate
 * answers (pong, its own err frames) are written during that call; a refused frame's err goes into
 * the same output right away, so every err follows the answers to the frames sent before it.
 *
 * <p>Output: everything written to the business during one event-loop turn leaves in one socket
 * write, at the end of the turn or as soon as {@link #FLUSH_BYTES} are gathered.
 *
 * <p>Back-pressure, bridge to business: when the business's write queue is full (more than the
 * high-water mark queued), the business is not read until it drains, so its own requests, pings and
 * bad frames stop adding output. The bridge's output is still taken and queued, and a business
 * whose queue then exceeds {@link Limits#outputLimitBytes()} is disconnected at once ({@link
 * #abort()}).
 *
 * @implNote What keeps producing output while the business is paused is platform traffic to its
 *     registrations (C2S messages, receipts), which cannot be paused without losing it anyway;
 *     disconnecting unregisters them, so later C2S requests go to the address's other consumers,
 *     and the ones in flight time out into routing's retry.
 */
final class GuardedConnection implements InboundFrameReader.Sink, BridgeLink.Output {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedConnection.class);

  /** Gathered output written at once, without waiting for the end of the turn: 64 KiB. */
  static final int FLUSH_BYTES = 64 * 1024;

  private static final int PAUSED_OUTPUT_FULL = 1;
  private static final int PAUSED_CLOSING = 2;

  /**
   * Limits shared by the connections of one bridge.
   *
   * @param maxFrameBytes largest frame body a business may send; a longer announced length closes
   * @param writeQueueBytes high-water mark of a business's write queue, above which it is not read
   * @param outputLimitBytes bytes queued for a business (not yet taken by its socket) above which
   *     it is closed
   */
  record Limits(int maxFrameBytes, int writeQueueBytes, long outputLimitBytes) {
    /** Never disconnect a business for less queued output than this: 1 MiB. */
    static final long MIN_OUTPUT_LIMIT_BYTES = 1L << 20;

    /**
     * From the configuration: frames up to {@code bridge.maxFrameBytes}; stop reading at that much
     * queued output; disconnect at four times that, at least {@value #MIN_OUTPUT_LIMIT_BYTES}
     * bytes.
     */
    static Limits of(CourierConfig config) {
      int maxFrame = config.bridgeMaxFrameBytes();
      return new Limits(maxFrame, maxFrame, Math.max(MIN_OUTPUT_LIMIT_BYTES, 4L * maxFrame));
    }
  }

  private final NetSocketInternal client;
  private final Context context;
  private final Runnable onClosed;
  private final FrameCheck check;
  private final Limits limits;
  private final InboundFrameReader reader;
  private final OutputBatch output;

  /**
   * Addresses this connection registered. The bridge keeps one consumer per address and connection
   * and replaces it on a second register without unregistering the first: that consumer would
   * outlive the connection and take its share of C2S messages forever, unanswered.
   */
  private final Set<String> registered = new HashSet<>();

  private BridgeLink link;
  private int paused;

  /** Bytes handed to the business socket and not yet written by it. */
  private long queuedOutput;

  private boolean closed;

  /**
   * @param client the business socket (Vert.x's own, whose buffers are written without a copy)
   * @param onClosed runs once, when the business socket has closed
   */
  GuardedConnection(
      NetSocketInternal client,
      Context context,
      FrameCheck check,
      Limits limits,
      Runnable onClosed) {
    this.client = client;
    this.context = context;
    this.onClosed = onClosed;
    this.check = check;
    this.limits = limits;
    this.reader = new InboundFrameReader(limits.maxFrameBytes(), this);
    this.output = new OutputBatch(client.channelHandlerContext().alloc());
  }

  /** Starts: connects to the bridge and reads the business. */
  void open(InProcessBridge bridge) {
    link = bridge.connect(this);
    client.setWriteQueueMaxSize(limits.writeQueueBytes());
    client.handler(reader::feed);
    client.closeHandler(
        v -> {
          onClosed.run();
          if (!closed) {
            end();
          }
        });
    client.exceptionHandler(
        e -> LOG.debug("bridge client {}: {}", client.remoteAddress(), e.toString()));
  }

  @Override
  public void frame(Buffer frame) {
    if (closed) {
      return;
    }
    FrameCheck.Verdict verdict = check.check(frame);
    if (!verdict.passed()) {
      toClient(verdict.errFrame());
      return;
    }
    String address = verdict.address();
    switch (verdict.type()) {
      case REGISTER:
        if (BridgePolicy.mayRegister(address) && !registered.add(address)) {
          toClient(Frames.err(GuardError.ALREADY_REGISTERED, null));
          return;
        }
        break;
      case UNREGISTER:
        registered.remove(address);
        break;
      default:
        break;
    }
    try {
      link.toBridge(verdict.frame());
    } catch (RuntimeException e) {
      // the checks exist so that this does not happen; if it does, the bridge's parser is stuck on
      // the frame
      LOG.error(
          "bridge client {}: the bridge failed on a frame that passed the guard; closing",
          client.remoteAddress(),
          e);
      close();
    }
  }

  @Override
  public void tooLarge(long length) {
    LOG.info(
        "bridge client {}: frame of {} bytes exceeds the maximum of {}; closing",
        client.remoteAddress(),
        length,
        limits.maxFrameBytes());
    pause(PAUSED_CLOSING);
    toClient(Frames.err(GuardError.FRAME_TOO_LARGE, null));
    flush().onComplete(v -> close());
  }

  @Override
  public void fromBridge(Buffer frame) {
    toClient(frame);
  }

  @Override
  public void closeRequested() {
    close();
  }

  private void toClient(Buffer frame) {
    if (closed) {
      return;
    }
    if (output.add(frame)) {
      context.runOnContext(v -> flush());
    }
    if (queuedOutput + output.size() > limits.outputLimitBytes()) {
      LOG.warn(
          "bridge client {}: {} bytes of output queued, more than {}: not reading; disconnecting",
          client.remoteAddress(),
          queuedOutput + output.size(),
          limits.outputLimitBytes());
      abort();
    } else if (output.size() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Writes what is gathered; the future completes when the socket has taken it. */
  private Future<Void> flush() {
    ByteBuf batch = output.take();
    if (batch == null || closed) {
      if (batch != null) {
        batch.release();
      }
      return Future.succeededFuture();
    }
    int length = batch.readableBytes();
    queuedOutput += length;
    Future<Void> written = client.writeMessage(batch);
    written.onComplete(v -> queuedOutput -= length);
    if (client.writeQueueFull()) {
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

  /**
   * The guard ends the connection: output already gathered or queued is flushed, the bridge forgets
   * it.
   */
  private void close() {
    if (closed) {
      return;
    }
    flush();
    end();
    client.close();
  }

  /**
   * Like {@link #close()}, but the queued output is dropped: a graceful {@code NetSocket.close()}
   * first waits until the queue is flushed, which a business that does not read never lets happen,
   * so the socket and its queue would live as long as the business does.
   *
   * @implNote The only way to close a Vert.x 5 socket without flushing is Netty's close on the
   *     socket's handler context (what Vert.x itself does on an idle timeout), reached through the
   *     internal {@link NetSocketInternal} API; the connection tests check that it still happens
   *     while the business reads nothing.
   */
  private void abort() {
    if (closed) {
      return;
    }
    end();
    client.channelHandlerContext().close();
  }

  /**
   * The connection ends, from either side: no more input or output, and the bridge unregisters its
   * consumers.
   */
  private void end() {
    closed = true;
    reader.stop();
    output.discard();
    link.end();
  }
}
