package io.courier.gate;

import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PUSHes of one connection and the client's acks of them. Confined to the connection's event
 * loop.
 *
 * <p>A qos-0 push is written once, marked {@code "qos":0} so that the client need not acknowledge
 * it (an ack of it is ignored). A qos-1 push waits for the client's 0x8020; unanswered after the
 * ack timeout it is resent (same frame, same seq) up to the retry limit, then given up: the message
 * never left the offline store, so the client's next PULL returns it. At most {@value #CAPACITY}
 * wait, holding at most {@code maxUnackedBytes} of frames (a push is refused once that much is
 * held): a connection that does not ack gets no more qos-1 pushes, and its messages wait offline.
 *
 * <p>A qos-1 push still unacknowledged at its first ack timeout, or when the client's connection
 * drops under it, is handed to the push role ({@link LogicClient#unacked}), once: an app whose
 * phone suspended it keeps its connection open for a while without reading, and a phone that killed
 * the app closes it; either way the app is woken to PULL (docs/push.md).
 *
 * <p>Pushes are written only while the channel is open (the session is logged in) and the client
 * keeps up with reading ({@link Outbound#full()}); otherwise {@link #push} refuses them.
 */
final class PushChannel {
  private static final Logger LOG = LoggerFactory.getLogger(PushChannel.class);

  /** Unacknowledged qos-1 pushes per connection. */
  static final int CAPACITY = 1024;

  private final String sessionId;
  private final Outbound out;
  private final GateLoop loop;
  private final long ackTimeoutMs;
  private final int retries;
  private final long maxUnackedBytes;
  private final DeliverySteps steps;
  private final LogicClient logic;

  /** Made at the first qos-1 push: most connections of a large gate sit idle and never need it. */
  private Map<String, Pending> pending;

  /** Bytes of the frames in {@link #pending}. */
  private long unackedBytes;

  private boolean open;

  PushChannel(
      String sessionId,
      Outbound out,
      GateLoop loop,
      ConnectionSettings settings,
      DeliverySteps steps,
      LogicClient logic) {
    this.sessionId = sessionId;
    this.out = out;
    this.loop = loop;
    this.ackTimeoutMs = settings.ackTimeoutMs();
    this.retries = settings.pushRetries();
    this.maxUnackedBytes = settings.maxUnackedBytes();
    this.steps = steps;
    this.logic = logic;
  }

  /** The session logged in: pushes may be written. */
  void open() {
    open = true;
  }

  /**
   * The connection is closing: nothing more is written, and waiting pushes are given up as their
   * timers fire.
   */
  void shut() {
    open = false;
  }

  /**
   * The connection has closed: timers stop, and the unacknowledged messages wait offline. When the
   * client closed it (the server had not {@link #shut} it first), they are handed over for a
   * wake-up notification.
   */
  void clear() {
    boolean closedByClient = open;
    open = false;
    if (pending != null) {
      pending
          .values()
          .forEach(
              waiting -> {
                loop.cancelTimer(waiting.timer);
                if (closedByClient) {
                  waiting.notifyOnce();
                }
              });
      pending.clear();
      unackedBytes = 0;
    }
  }

  /**
   * Writes a PUSH of {@code message}; false when the connection cannot take it now (not open,
   * client behind on reading, {@value #CAPACITY} qos-1 pushes or {@code maxUnackedBytes}
   * unacknowledged, or cut for not reading by this very write).
   */
  boolean push(int qos, Message message) {
    if (!writable() || (qos == 1 && unackedFull())) {
      return false;
    }
    Buffer frame =
        FrameEncoder.encodeFlat(
            Command.PUSH.code(),
            out.nextServerSeq(),
            qos == 1 ? message::writePushBody : message::writeQos0PushBody);
    if (!out.write(frame)) {
      return false;
    }
    if (qos == 1) {
      track(Long.toString(message.msgid()), frame, message);
    }
    if (LOG.isDebugEnabled()) {
      TraceLog.debug(
          LOG, message.logid(), "push {} written to session {}", message.msgid(), sessionId);
    }
    steps.pushed(message, sessionId);
    return true;
  }

  /** The client acknowledged {@code msgid}; a late or duplicate ack is ignored. */
  void acknowledge(String msgid) {
    Pending acked = pending == null ? null : pending.remove(msgid);
    if (acked == null) {
      return;
    }
    loop.cancelTimer(acked.timer);
    unackedBytes -= acked.frame.length();
    steps.acked(
        acked.message,
        sessionId,
        Duration.ofNanos(loop.nanoTime() - acked.pushedNanos),
        acked.notified);
    logic.acked(acked.message);
  }

  private boolean writable() {
    return open && !out.full();
  }

  private boolean unackedFull() {
    return pending != null && (pending.size() >= CAPACITY || unackedBytes >= maxUnackedBytes);
  }

  private void track(String msgid, Buffer frame, Message message) {
    if (pending == null) {
      pending = new HashMap<>();
    }
    Pending waiting = new Pending(msgid, frame, message);
    Pending previous = pending.put(msgid, waiting);
    if (previous != null) {
      loop.cancelTimer(previous.timer);
      unackedBytes -= previous.frame.length();
    }
    unackedBytes += frame.length();
    waiting.arm();
  }

  /** One unacknowledged push; it is its own timer's handler, so a (re)arm allocates nothing. */
  private final class Pending implements Handler<Long> {
    final String msgid;
    final Buffer frame;
    final Message message;
    final long pushedNanos = loop.nanoTime();
    int retriesLeft = retries;
    long timer;
    boolean notified;

    Pending(String msgid, Buffer frame, Message message) {
      this.msgid = msgid;
      this.frame = frame;
      this.message = message;
    }

    void arm() {
      timer = loop.setTimer(ackTimeoutMs, this);
    }

    void notifyOnce() {
      if (!notified) {
        notified = true;
        logic.unacked(message);
      }
    }

    @Override
    public void handle(Long timerId) {
      if (pending.get(msgid) != this) {
        return;
      }
      notifyOnce();
      if (retriesLeft > 0 && writable()) {
        retriesLeft--;
        out.write(frame);
        steps.resent(message, sessionId);
        arm();
      } else {
        pending.remove(msgid);
        unackedBytes -= frame.length();
        TraceLog.info(
            LOG,
            message.logid(),
            "push {} unacknowledged on session {}; it waits offline",
            message.msgid(),
            sessionId);
        steps.expired(message, sessionId);
      }
    }
  }
}
