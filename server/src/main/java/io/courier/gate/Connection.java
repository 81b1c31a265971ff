package io.courier.gate;

import io.courier.contract.Addresses;
import io.courier.contract.LoginRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.protocol.BodyParser;
import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.Fields;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its framing, its state machine, its timers and its unacknowledged pushes.
 * All methods run on the event loop that accepted the socket; other threads go through {@link
 * #kick(Code)} and {@link #push(int, JsonObject)}.
 *
 * <pre>
 *  AWAITING_LOGIN --LOGIN--> LOGGING_IN --ok--> ACTIVE --LOGOUT / kick / idle / error--> CLOSED
 *        ^                       |
 *        +--- 400 / 503 / 504 ---+   (401, login timeout, 440, framing errors: CLOSED)
 * </pre>
 *
 * <p>Frames that follow a LOGIN in the same read are held, and the socket paused, until the login
 * is decided, so a client may pipeline commands after LOGIN and get the answers in order.
 *
 * <p>C2C messages of one connection go to routing one at a time (at most {@value #MAX_QUEUED_C2C}
 * queued, 429 beyond): that is what keeps one sender's messages in msgid order at the receiver.
 *
 * <p>Timers: one at a time for the connection. Before login it is the login deadline; after, the
 * idle check, which is re-armed lazily when it fires (for the time left since the last frame)
 * rather than on every frame, so a busy connection costs no timer churn.
 *
 * <p>Back-pressure: when the socket's write queue is full the connection stops reading until it
 * drains, so a client that does not read cannot make the server queue responses without bound;
 * pushes to it are refused (they wait in the offline store).
 */
public final class Connection implements FrameDecoder.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /**
   * How long a closing connection may take to flush its last frame before the socket is closed
   * anyway.
   */
  static final long CLOSE_GRACE_MS = 2_000;

  /** Unacknowledged qos-1 pushes per connection. */
  static final int MAX_PENDING_PUSHES = 1024;

  /** C2C messages of one connection waiting for routing. */
  static final int MAX_QUEUED_C2C = 256;

  private enum State {
    AWAITING_LOGIN,
    LOGGING_IN,
    ACTIVE,
    CLOSED
  }

  private final Gate gate;
  private final NetSocket socket;
  private final Context context;
  private final String sessionId;
  private final FrameDecoder decoder;

  /** Frames that arrived while a login was being decided; made when the first one arrives. */
  private Queue<Frame> heldDuringLogin;

  /** Made at the first qos-1 push: most connections of a large gate sit idle and never need it. */
  private PendingPushes pendingPushes;

  private final Promise<Void> closed = Promise.promise();
  private State state = State.AWAITING_LOGIN;

  /** The identity of the last login attempt; removed from presence when the connection ends. */
  private SessionRef identity;

  /**
   * The reply to the last LOGIN request; the removal of the session's presence must not overtake
   * it.
   */
  private Future<Void> loginReply = Future.succeededFuture();

  private Future<?> c2cTail = Future.succeededFuture();
  private int queuedC2c;
  private long lastFrameNanos = System.nanoTime();
  private long timer = -1;
  private long serverSeq;
  private boolean writeQueueFull;
  private boolean cleanedUp;

  Connection(Gate gate, NetSocket socket, Context context) {
    this.gate = gate;
    this.socket = socket;
    this.context = context;
    this.sessionId = gate.sessions().nextSessionId();
    this.decoder = new FrameDecoder(gate.config().maxBodyBytes(), this);
  }

  void start() {
    gate.sessions().add(this);
    gate.connections().add(this);
    socket.setWriteQueueMaxSize(gate.config().writeQueueBytes());
    socket.handler(decoder::feed);
    socket.closeHandler(v -> cleanUp());
    // a draining gate kicks each connection itself, within the server's shutdown window
    socket.shutdownHandler(v -> {});
    socket.exceptionHandler(
        e -> LOG.debug("session {}: socket error: {}", sessionId, e.getMessage()));
    timer =
        gate.vertx()
            .setTimer(
                gate.config().loginTimeout().toMillis(),
                id -> {
                  timer = -1;
                  if (state == State.AWAITING_LOGIN || state == State.LOGGING_IN) {
                    LOG.debug("session {}: login timeout", sessionId);
                    close(null);
                  }
                });
  }

  public String sessionId() {
    return sessionId;
  }

  /** Completes when the socket has closed and the connection is cleaned up. */
  Future<Void> closed() {
    return closed.future();
  }

  /** Sends KICK {@code code} and closes; safe to call from any thread. */
  public void kick(Code code) {
    context.runOnContext(
        v -> {
          if (state != State.CLOSED) {
            LOG.info("session {}: kicked with {}", sessionId, code.value());
            close(
                FrameEncoder.encode(
                    Command.KICK.code(), ++serverSeq, Reply.error(code, code.reason())));
          }
        });
  }

  /**
   * Writes a PUSH of {@code message}; safe to call from any thread. The result is false when the
   * connection cannot take it now (not logged in, closed, write queue full, too many
   * unacknowledged). A qos-1 push is then tracked until acknowledged, resent on timeout; a qos-0
   * push is written once.
   */
  public Future<Boolean> push(int qos, Message message) {
    Promise<Boolean> written = Promise.promise();
    context.runOnContext(v -> written.complete(pushOnContext(qos, message)));
    return written.future();
  }

  @Override
  public void frame(Frame frame) {
    gate.metrics().frame(frame.cmd());
    handle(frame);
  }

  /**
   * A frame as it arrived, or as it is released after the login it waited for (counted once, on
   * arrival).
   */
  private void handle(Frame frame) {
    lastFrameNanos = System.nanoTime();
    if (state == State.LOGGING_IN) {
      if (heldDuringLogin == null) {
        heldDuringLogin = new ArrayDeque<>(4);
      }
      heldDuringLogin.add(frame);
      return;
    }
    if (state == State.CLOSED) {
      return;
    }
    Command command = frame.isResponse() ? null : Command.fromCode(frame.cmd());
    if (state != State.ACTIVE && command != Command.LOGIN && command != Command.PING) {
      fail(Code.NOT_LOGGED_IN, frame.seq(), "log in first");
      return;
    }
    if (frame.isResponse()) {
      onClientResponse(frame);
      return;
    }
    if (command == null || command.direction() != Command.Direction.CLIENT) {
      error(Code.UNKNOWN_CMD, frame.seq(), unknownCmd(frame));
      return;
    }
    JsonObject body;
    try {
      body = BodyParser.parse(frame.body());
    } catch (MalformedBodyException e) {
      respond(command, frame.seq(), Reply.error(Code.BAD_REQUEST, e.getMessage()));
      return;
    }
    switch (command) {
      case LOGIN:
        onLogin(frame.seq(), body);
        break;
      case PING:
        respond(command, frame.seq(), Reply.ok().put("server_time", System.currentTimeMillis()));
        break;
      case LOGOUT:
        close(FrameEncoder.response(command, frame.seq(), Reply.ok()));
        break;
      case C2C:
        onC2c(frame.seq(), body);
        break;
      default:
        forward(command, frame.seq(), body);
    }
  }

  @Override
  public void violation(FrameViolation violation) {
    fail(violation.code(), violation.seq(), violation.msg());
  }

  private void onClientResponse(Frame frame) {
    if (frame.cmd() != Command.PUSH.responseCode()) {
      error(Code.UNKNOWN_CMD, frame.seq(), unknownCmd(frame));
      return;
    }
    String msgid;
    try {
      msgid = Fields.string(BodyParser.parse(frame.body()), "msgid");
    } catch (MalformedBodyException e) {
      error(Code.BAD_REQUEST, frame.seq(), e.getMessage());
      return;
    }
    PendingPushes.Acknowledged acked =
        pendingPushes == null ? null : pendingPushes.acknowledge(msgid);
    if (acked != null) {
      gate.tracker()
          .acked(
              acked.message(),
              sessionId,
              Duration.ofNanos(System.nanoTime() - acked.pushedNanos()));
      gate.vertx().eventBus().send(Addresses.ACKED, acked.message().toPushBody());
    }
  }

  private void onLogin(long seq, JsonObject body) {
    if (state != State.AWAITING_LOGIN) {
      respond(Command.LOGIN, seq, Reply.error(Code.CONFLICT, "already logged in"));
      return;
    }
    LoginRequest request;
    try {
      request =
          new LoginRequest(
              Fields.uid(body, "uid"),
              Fields.appcode(body, "appcode"),
              Fields.string(body, "token"),
              gate.sessions().node(),
              sessionId);
    } catch (MalformedBodyException e) {
      gate.metrics().login(Code.BAD_REQUEST);
      respond(Command.LOGIN, seq, Reply.error(Code.BAD_REQUEST, e.getMessage()));
      return;
    }
    state = State.LOGGING_IN;
    updateReading();
    identity = new SessionRef(request.uid(), request.appcode(), request.node(), sessionId, 0);
    loginReply =
        gate.vertx()
            .eventBus()
            .<JsonObject>request(Addresses.LOGIN, request.toJson(), gate.logicRequests())
            .mapEmpty();
    loginReply.onComplete(
        reply -> {
          if (state == State.CLOSED) {
            return;
          }
          gate.metrics().login(reply.succeeded() ? Code.OK : Reply.codeOf(reply.cause()));
          if (reply.succeeded()) {
            state = State.ACTIVE;
            identity =
                new SessionRef(
                    identity.uid(),
                    identity.appcode(),
                    identity.node(),
                    sessionId,
                    System.currentTimeMillis());
            gate.sessions().loggedIn(identity);
            LOG.debug(
                "session {}: logged in uid={} appcode={} from {}",
                sessionId,
                request.uid(),
                request.appcode(),
                socket.remoteAddress());
            armIdleCheck(gate.config().idleTimeout().toMillis());
            respond(
                Command.LOGIN,
                seq,
                Reply.ok()
                    .put("session", sessionId)
                    .put("heartbeat", gate.config().heartbeatSeconds())
                    .put("server_time", System.currentTimeMillis()));
          } else {
            Code code = Reply.codeOf(reply.cause());
            JsonObject answer = Reply.error(code, reply.cause().getMessage());
            if (code == Code.AUTH_FAILED) {
              close(FrameEncoder.response(Command.LOGIN, seq, answer));
            } else {
              state = State.AWAITING_LOGIN;
              respond(Command.LOGIN, seq, answer);
            }
          }
          releaseHeldFrames();
        });
  }

  private void releaseHeldFrames() {
    while (state != State.LOGGING_IN && heldDuringLogin != null && !heldDuringLogin.isEmpty()) {
      handle(heldDuringLogin.poll());
    }
    if (state != State.LOGGING_IN) {
      heldDuringLogin = null;
    }
    updateReading();
  }

  private void onC2c(long seq, JsonObject body) {
    if (queuedC2c >= MAX_QUEUED_C2C) {
      respond(
          Command.C2C,
          seq,
          Reply.error(Code.RATE_LIMITED, "too many C2C messages waiting; wait for answers"));
      return;
    }
    queuedC2c++;
    c2cTail =
        c2cTail.transform(
            previous -> forward(Command.C2C, seq, body).onComplete(done -> queuedC2c--));
  }

  private Future<JsonObject> forward(Command command, long seq, JsonObject body) {
    return gate.commands()
        .handle(identity, command, body)
        .onComplete(
            result -> {
              if (state != State.CLOSED) {
                respond(
                    command,
                    seq,
                    result.succeeded() ? result.result() : Reply.error(Code.INTERNAL, null));
              }
            });
  }

  private boolean pushOnContext(int qos, Message message) {
    if (state != State.ACTIVE
        || writeQueueFull
        || (qos == 1 && pendingPushes != null && !pendingPushes.hasRoom())) {
      return false;
    }
    Buffer frame =
        FrameEncoder.encodeWith(Command.PUSH.code(), ++serverSeq, message::writePushBody);
    if (!writePush(frame)) {
      return false;
    }
    if (qos == 1) {
      pendingPushes().track(Long.toString(message.msgid()), frame, message);
    }
    TraceLog.debug(
        LOG, message.logid(), "push {} written to session {}", message.msgid(), sessionId);
    gate.tracker().pushed(message, sessionId);
    return true;
  }

  private PendingPushes pendingPushes() {
    if (pendingPushes == null) {
      pendingPushes =
          new PendingPushes(
              gate.vertx(),
              gate.config().ackTimeout().toMillis(),
              gate.config().pushRetries(),
              MAX_PENDING_PUSHES,
              new PendingPushes.Owner() {
                @Override
                public boolean resend(Buffer frame, Message message) {
                  if (!writePush(frame)) {
                    return false;
                  }
                  gate.tracker().resent(message, sessionId);
                  return true;
                }

                @Override
                public void givenUp(Message message) {
                  TraceLog.info(
                      LOG,
                      message.logid(),
                      "push {} unacknowledged on session {}; it waits offline",
                      message.msgid(),
                      sessionId);
                  gate.tracker().expired(message, sessionId);
                }
              });
    }
    return pendingPushes;
  }

  private boolean writePush(Buffer frame) {
    if (state != State.ACTIVE || writeQueueFull) {
      return false;
    }
    send(frame);
    return true;
  }

  private void armIdleCheck(long delayMs) {
    cancelTimer();
    timer =
        gate.vertx()
            .setTimer(
                Math.max(1, delayMs),
                id -> {
                  timer = -1;
                  long idleMs = gate.config().idleTimeout().toMillis();
                  long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos);
                  if (silentMs >= idleMs) {
                    kick(Code.KICK_IDLE);
                  } else if (state == State.ACTIVE) {
                    armIdleCheck(idleMs - silentMs);
                  }
                });
  }

  private void respond(Command command, long seq, JsonObject body) {
    send(FrameEncoder.response(command, seq, body));
  }

  /** ERROR {@code code} with {@code seq}; the connection stays open. */
  private void error(Code code, long seq, String msg) {
    send(errorFrame(code, seq, msg));
  }

  /** ERROR {@code code} with {@code seq}, then close. */
  private void fail(Code code, long seq, String msg) {
    LOG.debug("session {}: closing with error {}: {}", sessionId, code.value(), msg);
    close(errorFrame(code, seq, msg));
  }

  private static Buffer errorFrame(Code code, long seq, String msg) {
    return FrameEncoder.encode(Command.ERROR.code(), seq, Reply.error(code, msg));
  }

  private static String unknownCmd(Frame frame) {
    return String.format("unknown cmd 0x%04x", frame.cmd());
  }

  private void send(Buffer frame) {
    socket.write(frame);
    if (!writeQueueFull && socket.writeQueueFull()) {
      writeQueueFull = true;
      updateReading();
      socket.drainHandler(
          v -> {
            writeQueueFull = false;
            updateReading();
          });
    }
  }

  /**
   * Reads while neither a login is being decided nor the client is behind on reading what we wrote.
   */
  private void updateReading() {
    if (state == State.CLOSED) {
      return;
    }
    if (writeQueueFull || state == State.LOGGING_IN) {
      socket.pause();
    } else {
      socket.resume();
    }
  }

  /**
   * The one way a connection ends from the server side: write {@code lastFrame} if any, then close.
   */
  private void close(Buffer lastFrame) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    decoder.stop();
    cancelTimer();
    if (lastFrame == null) {
      socket.close();
    } else {
      socket.end(lastFrame);
      gate.vertx().setTimer(CLOSE_GRACE_MS, id -> socket.close());
    }
  }

  /** Runs once, when the socket has closed for any reason. */
  private void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    state = State.CLOSED;
    decoder.stop();
    cancelTimer();
    if (pendingPushes != null) {
      pendingPushes.clear();
    }
    heldDuringLogin = null;
    gate.sessions().remove(this);
    gate.connections().remove(this);
    closed.complete();
    if (identity != null) {
      SessionRef ended = identity;
      loginReply.onComplete(
          reply ->
              gate.presence()
                  .remove(ended)
                  .onFailure(
                      e ->
                          LOG.warn(
                              "session {}: presence not removed, it expires or is replaced: {}",
                              sessionId,
                              e.getMessage())));
    }
  }

  private void cancelTimer() {
    if (timer != -1) {
      gate.vertx().cancelTimer(timer);
      timer = -1;
    }
  }
}
