package io.courier.bridge;

import io.courier.config.CourierConfig;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One business connection and its connection to the bridge ({@link BridgeLink}, in process). All
 * methods run on the event loop that accepted the business socket; the connection's consumers
 * ({@link Registrations}) and the bridge's requests for it run there too.
 *
 * <pre>
 *  business --bytes--> [InboundFrameReader] --frame--> [FrameCheck] --> [Business] --ok--> bridge
 *                       (length bound)                    | refused: err |  push --> [DirectSend]
 *                                                         |              |  register, unregister,
 *                                                         |              |  their answers --> [Registrations]
 *  business <--one write per turn-- [OutputBatch] <-------+--------------+-- bridge output, answers, messages
 * </pre>
 *
 * <p>Rules: {@link FrameCheck} decides what the bridge can handle and which business a frame acts
 * for ({@link Identity}); the business ({@link Business}) what it may send and register; this class
 * how many addresses the connection has registered ({@link Limits#maxRegistrations()}) and how long
 * it may stay silent ({@link Limits#idleTimeout()}: a frame of any kind, a ping included, counts;
 * the time the guard does not read the business, its output being full, does not). Every refusal
 * answers an err frame that names its rule and is counted ({@link BridgeMetrics}); only a frame too
 * large and the idle timeout close the connection.
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

  /** The bridge's own refusal of a reply it holds no message for: its only one past the guard. */
  private static final Buffer BRIDGE_ACCESS_DENIED =
      Frames.encode(
          new JsonObject().put("type", "err").put("message", GuardError.ACCESS_DENIED.wire()));

  /**
   * Limits shared by the connections of one bridge.
   *
   * @param maxFrameBytes largest frame body a business may send; a longer announced length closes
   * @param writeQueueBytes high-water mark of a business's write queue, above which it is not read
   * @param outputLimitBytes bytes queued for a business (not yet taken by its socket) above which
   *     it is closed
   * @param maxRegistrations addresses a connection may have registered at once
   * @param idleTimeout a connection that sends no frame for this long is closed
   */
  record Limits(
      int maxFrameBytes,
      int writeQueueBytes,
      long outputLimitBytes,
      int maxRegistrations,
      Duration idleTimeout) {
    /** Never disconnect a business for less queued output than this: 1 MiB. */
    static final long MIN_OUTPUT_LIMIT_BYTES = 1L << 20;

    /**
     * From the configuration: frames up to {@code bridge.maxFrameBytes}; stop reading at that much
     * queued output; disconnect at four times that, at least {@value #MIN_OUTPUT_LIMIT_BYTES}
     * bytes.
     */
    static Limits of(CourierConfig config) {
      int maxFrame = config.bridgeMaxFrameBytes();
      return new Limits(
          maxFrame,
          maxFrame,
          Math.max(MIN_OUTPUT_LIMIT_BYTES, 4L * maxFrame),
          config.bridgeMaxRegistrations(),
          config.bridgeIdleTimeout());
    }
  }

  private final NetSocketInternal client;
  private final Context context;
  private final Runnable onClosed;
  private final Identity identity;
  private final Limits limits;
  private final BridgeMetrics metrics;
  private final InboundFrameReader reader;
  private final OutputBatch output;

  /**
   * Addresses this connection registered, and the messages they delivered that await an answer. A
   * second register of an address is refused: the stock bridge would replace its consumer without
   * unregistering the first, which would outlive the connection and take its share of C2S messages
   * forever, unanswered.
   */
  private final Registrations registrations;

  private InProcessBridge bridge;
  private DirectSend direct;
  private BridgeLink link;
  private int paused;

  /** {@link System#nanoTime()} of the last frame read, or of the start. */
  private long lastFrame = System.nanoTime();

  private long idleTimer = -1;

  /** Bytes handed to the business socket and not yet written by it. */
  private long queuedOutput;

  private boolean closed;

  /**
   * @param client the business socket (Vert.x's own, whose buffers are written without a copy)
   * @param businesses who may use the bridge
   * @param onClosed runs once, when the business socket has closed
   */
  GuardedConnection(
      NetSocketInternal client,
      Context context,
      Businesses businesses,
      Limits limits,
      BridgeMetrics metrics,
      Runnable onClosed) {
    this.client = client;
    this.context = context;
    this.onClosed = onClosed;
    this.identity = new Identity(businesses, businesses.byPeer(client));
    this.limits = limits;
    this.metrics = metrics;
    this.reader = new InboundFrameReader(limits.maxFrameBytes(), this);
    this.output = new OutputBatch(client.channelHandlerContext().alloc());
    this.registrations = new Registrations(context.owner().eventBus(), this::toClient);
  }

  /**
   * Starts: connects to the bridge and reads the business; the push requests the guard serves
   * itself go to {@code direct}.
   */
  void open(InProcessBridge bridge, DirectSend direct) {
    this.bridge = bridge;
    this.direct = direct;
    link = bridge.connect(this);
    armIdleTimer(limits.idleTimeout().toMillis());
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
    lastFrame = System.nanoTime();
    FrameCheck.Verdict verdict = FrameCheck.check(frame, identity);
    Refusal refusal = verdict.passed() ? permit(verdict) : verdict.refusal();
    if (refusal != null) {
      refuse(refusal);
      return;
    }
    if (verdict.request() != null) {
      direct.send(verdict.request(), this::toClient);
      return;
    }
    if (served(verdict)) {
      return;
    }
    try {
      bridge.handle(link, verdict.frame(), verdict.business());
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

  /**
   * Whether the guard served the frame, a permitted one: a register, an unregister, or the answer
   * to a message one of them delivered ({@link Registrations}).
   */
  private boolean served(FrameCheck.Verdict verdict) {
    switch (verdict.type()) {
      case REGISTER:
        registrations.register(verdict.address(), verdict.business());
        return true;
      case UNREGISTER:
        if (!registrations.unregister(verdict.address())) {
          toClient(Registrations.UNKNOWN_ADDRESS);
        }
        return true;
      case SEND:
        if (registrations.awaits(verdict.address())) {
          registrations.answer(
              verdict.answer() != null
                  ? verdict.answer()
                  : Registrations.Answer.of(verdict.frame()));
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  /** Whether the business may do what the frame asks; null when it may. */
  private Refusal permit(FrameCheck.Verdict verdict) {
    Business business = verdict.business();
    String address = verdict.address();
    switch (verdict.type()) {
      case SEND:
        return business.send(address, verdict.toAppcode());
      case REGISTER:
        Refusal refusal = business.register(address);
        if (refusal != null) {
          return refusal;
        }
        if (registrations.registered(address)) {
          return Refusal.error(GuardError.ALREADY_REGISTERED, null);
        }
        if (registrations.size() >= limits.maxRegistrations()) {
          return new Refusal(GuardError.TOO_MANY_REGISTRATIONS, Rule.MAX_REGISTRATIONS, null);
        }
        return null;
      case UNREGISTER:
        return business.register(address);
      default:
        return null;
    }
  }

  private void refuse(Refusal refusal) {
    metrics.refused(identity.business(), refusal);
    toClient(refusal.frame());
  }

  /**
   * Closes the connection once it has been silent for {@code idleTimeout}: checked by a timer that
   * fires when the timeout would end if no frame came, rather than rearmed on every frame.
   */
  private void armIdleTimer(long delayMs) {
    idleTimer = context.owner().setTimer(Math.max(1, delayMs), id -> idleCheck());
  }

  private void idleCheck() {
    if (closed) {
      return;
    }
    long limit = limits.idleTimeout().toNanos();
    long silent = System.nanoTime() - lastFrame;
    if (paused != 0) {
      armIdleTimer(limits.idleTimeout().toMillis());
    } else if (silent < limit) {
      armIdleTimer(TimeUnit.NANOSECONDS.toMillis(limit - silent) + 1);
    } else {
      LOG.info(
          "bridge client {} ({}): no frame for {} s; closing",
          client.remoteAddress(),
          identity.business(),
          limits.idleTimeout().toSeconds());
      pause(PAUSED_CLOSING);
      refuse(new Refusal(GuardError.IDLE_TIMEOUT, Rule.IDLE, null));
      flush().onComplete(v -> close());
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
    refuse(Refusal.error(GuardError.FRAME_TOO_LARGE, null));
    flush().onComplete(v -> close());
  }

  /**
   * The bridge's output, passed on; the bridge's own {@code access_denied} (its reply table's, the
   * only one the guard does not decide first) as the guard's, naming its rule.
   */
  @Override
  public void fromBridge(Buffer frame) {
    if (frame.length() == BRIDGE_ACCESS_DENIED.length() && frame.equals(BRIDGE_ACCESS_DENIED)) {
      refuse(Refusal.denied(Rule.REPLY));
    } else {
      toClient(frame);
    }
  }

  @Override
  public void closeRequested() {
    close();
  }

  private void toClient(Buffer frame) {
    if (closed) {
      return;
    }
    gathered(output.add(frame));
  }

  /** Like {@link #toClient(Buffer)}, for the body of a frame without its length prefix. */
  private void toClient(byte[] body) {
    if (closed) {
      return;
    }
    gathered(output.add(body));
  }

  /**
   * After a frame went into the output: a flush at the end of the turn when it started the batch,
   * at once when the batch is large, a disconnect when the output is over its limit.
   */
  private void gathered(boolean first) {
    if (first) {
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
    context.owner().cancelTimer(idleTimer);
    reader.stop();
    output.discard();
    registrations.end();
    link.end();
  }
}
