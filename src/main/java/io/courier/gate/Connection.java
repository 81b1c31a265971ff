package io.courier.gate;

import io.courier.contract.Addresses;
import io.courier.contract.LoginRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One client connection: its framing, its state machine and its timers. All methods run on the event
 * loop that accepted the socket; other threads go through {@link #kick(Code)}.
 *
 * <pre>
 *  AWAITING_LOGIN --LOGIN--> LOGGING_IN --ok--> ACTIVE --LOGOUT / kick / idle / error--> CLOSED
 *        ^                       |
 *        +--- 400 / 503 / 504 ---+   (401, login timeout, 440, framing errors: CLOSED)
 * </pre>
 *
 * <p>Timers: one at a time. Before login it is the login deadline; after, the idle check, which is re-armed
 * lazily when it fires (for the time left since the last frame) rather than on every frame, so a busy
 * connection costs no timer churn.
 *
 * <p>Back-pressure: when the socket's write queue is full the connection stops reading until it drains,
 * so a client that does not read cannot make the server queue responses without bound.
 */
public final class Connection implements FrameDecoder.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  /** How long a closing connection may take to flush its last frame before the socket is closed anyway. */
  private static final long CLOSE_GRACE_MS = 2_000;

  private enum State { AWAITING_LOGIN, LOGGING_IN, ACTIVE, CLOSED }

  private final Gate gate;
  private final NetSocket socket;
  private final Context context;
  private final String sessionId;
  private final FrameDecoder decoder;
  private State state = State.AWAITING_LOGIN;
  /** The identity of the last login attempt; removed from presence when the connection ends. */
  private SessionRef identity;
  /** The reply to the last LOGIN request; a logout must not overtake it. */
  private Future<JsonObject> loginReply = Future.succeededFuture();
  private long lastFrameNanos = System.nanoTime();
  private long timer = -1;
  private long serverSeq;
  private boolean readingPaused;
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
    socket.setWriteQueueMaxSize(gate.config().writeQueueBytes());
    socket.handler(decoder::feed);
    socket.closeHandler(v -> cleanUp());
    socket.exceptionHandler(e -> LOG.debug("session {}: socket error: {}", sessionId, e.getMessage()));
    timer = gate.vertx().setTimer(gate.config().loginTimeout().toMillis(), id -> {
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

  /** Sends KICK {@code code} and closes; safe to call from any thread. */
  public void kick(Code code) {
    context.runOnContext(v -> {
      if (state != State.CLOSED) {
        LOG.info("session {}: kicked with {}", sessionId, code.value());
        close(FrameEncoder.encode(Command.KICK.code(), ++serverSeq, Reply.error(code, code.reason())));
      }
    });
  }

  @Override
  public void frame(Frame frame) {
    lastFrameNanos = System.nanoTime();
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
      send(FrameEncoder.encode(Command.ERROR.code(), frame.seq(),
        Reply.error(Code.UNKNOWN_CMD, String.format("unknown cmd 0x%04x", frame.cmd()))));
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
      default:
        onSessionCommand(command, frame.seq(), body);
    }
  }

  @Override
  public void violation(FrameViolation violation) {
    fail(violation.code(), violation.seq(), violation.msg());
  }

  private void onClientResponse(Frame frame) {
    if (frame.cmd() != Command.PUSH.responseCode()) {
      send(FrameEncoder.encode(Command.ERROR.code(), frame.seq(),
        Reply.error(Code.UNKNOWN_CMD, String.format("unknown cmd 0x%04x", frame.cmd()))));
      return;
    }
    try {
      BodyParser.parse(frame.body());
    } catch (MalformedBodyException e) {
      send(FrameEncoder.encode(Command.ERROR.code(), frame.seq(), Reply.error(Code.BAD_REQUEST, e.getMessage())));
    }
  }

  private void onLogin(long seq, JsonObject body) {
    if (state != State.AWAITING_LOGIN) {
      respond(Command.LOGIN, seq, Reply.error(Code.CONFLICT, "already logged in"));
      return;
    }
    LoginRequest request;
    try {
      request = new LoginRequest(Fields.uid(body, "uid"), Fields.appcode(body, "appcode"),
        Fields.string(body, "token"), gate.sessions().node(), sessionId);
    } catch (MalformedBodyException e) {
      respond(Command.LOGIN, seq, Reply.error(Code.BAD_REQUEST, e.getMessage()));
      return;
    }
    state = State.LOGGING_IN;
    identity = new SessionRef(request.uid(), request.appcode(), request.node(), sessionId, 0);
    loginReply = gate.vertx().eventBus().<JsonObject>request(Addresses.LOGIN, request.toJson(), gate.requestOptions())
      .map(Message::body);
    loginReply.onComplete(reply -> {
      if (state == State.CLOSED) {
        return;
      }
      if (reply.succeeded()) {
        state = State.ACTIVE;
        LOG.info("session {}: logged in uid={} appcode={} from {}", sessionId, request.uid(), request.appcode(),
          socket.remoteAddress());
        armIdleCheck(gate.config().idleTimeout().toMillis());
        respond(Command.LOGIN, seq, Reply.ok()
          .put("session", sessionId)
          .put("heartbeat", gate.config().heartbeatSeconds())
          .put("server_time", System.currentTimeMillis()));
        return;
      }
      Code code = Reply.codeOf(reply.cause());
      JsonObject answer = Reply.error(code, reply.cause().getMessage());
      if (code == Code.AUTH_FAILED) {
        close(FrameEncoder.response(Command.LOGIN, seq, answer));
      } else {
        state = State.AWAITING_LOGIN;
        respond(Command.LOGIN, seq, answer);
      }
    });
  }

  private void onSessionCommand(Command command, long seq, JsonObject body) {
    gate.commands().handle(identity, command, body).onComplete(result -> {
      if (state != State.CLOSED) {
        respond(command, seq, result.succeeded() ? result.result() : Reply.error(Code.INTERNAL, null));
      }
    });
  }

  private void armIdleCheck(long delayMs) {
    cancelTimer();
    timer = gate.vertx().setTimer(Math.max(1, delayMs), id -> {
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

  /** ERROR {@code code} with {@code seq}, then close. */
  private void fail(Code code, long seq, String msg) {
    LOG.debug("session {}: closing with error {}: {}", sessionId, code.value(), msg);
    close(FrameEncoder.encode(Command.ERROR.code(), seq, Reply.error(code, msg)));
  }

  private void send(Buffer frame) {
    socket.write(frame);
    if (!readingPaused && socket.writeQueueFull()) {
      readingPaused = true;
      socket.pause();
      socket.drainHandler(v -> {
        readingPaused = false;
        socket.resume();
      });
    }
  }

  /** The one way a connection ends from the server side: write {@code lastFrame} if any, then close. */
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
    gate.sessions().remove(this);
    if (identity != null) {
      SessionRef ended = identity;
      loginReply.onComplete(reply -> gate.vertx().eventBus().send(Addresses.LOGOUT, ended.toJson()));
    }
  }

  private void cancelTimer() {
    if (timer != -1) {
      gate.vertx().cancelTimer(timer);
      timer = -1;
    }
  }
}
