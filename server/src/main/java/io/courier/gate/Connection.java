package io.courier.gate;

import io.courier.contract.Reply;
import io.courier.contract.TokenGrant;
import io.courier.message.Message;
import io.courier.protocol.BodyParser;
import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.Fields;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.LoginReply;
import io.courier.protocol.body.PingReply;
import io.courier.protocol.body.RefreshReply;
import io.courier.protocol.body.Result;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its frames in, its state machine, and what each command leads to. All
 * methods run on the event loop that accepted the socket; other threads go through {@link
 * #kick(Code)} and {@link #push(int, Message)}.
 *
 * <pre>
 *  AWAITING_LOGIN --LOGIN--> LOGGING_IN --ok--> ACTIVE --LOGOUT / kick / idle / expiry / error--> CLOSED
 *        ^                       |
 *        +--- 400 / 503 / 504 ---+   (401, login timeout, 440, framing errors: CLOSED)
 * </pre>
 *
 * <p>Frames that follow a LOGIN in the same read are held, and the socket paused, until the login
 * is decided, so a client may pipeline commands after LOGIN and get the answers in order.
 *
 * <p>Its parts, each confined to the same event loop: {@link Outbound} (writes, back-pressure, and
 * the cut of a client that does not read), {@link SessionTimers} (login deadline, idle and token
 * expiry check), {@link SessionIdentity} (who it is, and its presence), {@link PushChannel} (pushes
 * and acks), {@link SessionRequests} (commands for the logic roles, C2C in order, the in-flight
 * bound), {@link FrameRate} (the frame budget); the logic roles are reached through {@link
 * LogicClient}.
 */
public final class Connection implements FrameDecoder.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private enum State {
    AWAITING_LOGIN,
    LOGGING_IN,
    ACTIVE,
    CLOSED
  }

  private final Gate gate;
  private final GateLoop loop;
  private final ClientSocket socket;
  private final String sessionId;
  private final FrameDecoder decoder;
  private final Outbound out;
  private final SessionTimers timers;
  private final PushChannel pushes;
  private final SessionIdentity identity;
  private final SessionRequests requests;
  private final FrameRate frameRate;
  private final DevicePush devicePush;

  /** Frames that arrived while a login was being decided; made when the first one arrives. */
  private Queue<Frame> heldDuringLogin;

  /** A REFRESH is being decided; another one is answered 429 meanwhile. */
  private boolean refreshing;

  private final Promise<Void> closed = Promise.promise();
  private State state = State.AWAITING_LOGIN;
  private boolean cleanedUp;

  Connection(Gate gate, ClientSocket socket) {
    ConnectionSettings settings = gate.settings();
    this.gate = gate;
    this.loop = gate.loop();
    this.socket = socket;
    this.sessionId = gate.sessions().nextSessionId();
    this.decoder = new FrameDecoder(settings.maxBodyBytes(), this);
    this.out = new Outbound(socket, loop, settings, this::cut);
    this.timers =
        new SessionTimers(
            loop,
            settings,
            this::loginDeadlinePassed,
            () -> kick(Code.KICK_IDLE),
            this::tokenExpired);
    this.pushes = new PushChannel(sessionId, out, loop, settings, gate.steps(), gate.logic());
    this.identity = new SessionIdentity(sessionId, gate.sessions(), gate.logic());
    this.requests =
        new SessionRequests(identity, gate.logic(), out, gate.metrics(), settings, loop);
    this.frameRate =
        new FrameRate(settings.maxFramesPerSecond(), settings.frameBurst(), loop.nanoTime());
    this.devicePush = new DevicePush(sessionId, gate.logic());
  }

  void start() {
    gate.sessions().add(this);
    gate.connections().add(this);
    socket.start(
        decoder::feed,
        e -> LOG.debug("session {}: socket error: {}", sessionId, e.getMessage()),
        v -> cleanUp());
    timers.startLoginDeadline();
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
    loop.run(
        v -> {
          if (state != State.CLOSED) {
            LOG.info("session {}: kicked with {}", sessionId, code.value());
            close(out.kickFrame(code));
          }
        });
  }

  /**
   * Writes a PUSH of {@code message}; safe to call from any thread. The result is false when the
   * connection cannot take it now (see {@link PushChannel#push}).
   */
  public Future<Boolean> push(int qos, Message message) {
    Promise<Boolean> written = Promise.promise();
    loop.run(v -> written.complete(writePush(qos, message)));
    return written.future();
  }

  private boolean writePush(int qos, Message message) {
    if (pushes.push(qos, message)) {
      frameRate.pushed();
      return true;
    }
    gate.metrics().pushRefused(qos);
    return false;
  }

  @Override
  public void frame(Frame frame) {
    gate.metrics().frame(frame.cmd());
    handle(frame);
  }

  @Override
  public void violation(FrameViolation violation) {
    fail(violation.code(), violation.seq(), violation.msg());
  }

  /**
   * A frame as it arrived, or as it is released after the login it waited for (counted once, on
   * arrival).
   */
  private void handle(Frame frame) {
    timers.frameArrived();
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
    if (!withinFrameRate(frame, command)) {
      return;
    }
    if (state != State.ACTIVE && command != Command.LOGIN && command != Command.PING) {
      fail(Code.NOT_LOGGED_IN, frame.seq(), "log in first");
      return;
    }
    if (frame.isResponse()) {
      onClientResponse(frame);
      return;
    }
    if (command == null || command.direction() != Command.Direction.CLIENT) {
      out.error(Code.UNKNOWN_CMD, frame.seq(), unknownCmd(frame));
      return;
    }
    JsonObject body;
    try {
      body = BodyParser.parse(frame.body());
    } catch (MalformedBodyException e) {
      out.respond(command, frame.seq(), Result.error(Code.BAD_REQUEST, e.getMessage()).toJson());
      return;
    }
    switch (command) {
      case LOGIN:
        onLogin(frame.seq(), body);
        break;
      case PING:
        out.respond(command, frame.seq(), new PingReply(loop.currentTimeMillis()).toJson());
        break;
      case LOGOUT:
        devicePush.logout(identity.ref(), body);
        close(FrameEncoder.response(command, frame.seq(), Result.ok().toJson()));
        break;
      case REFRESH:
        onRefresh(frame.seq(), body);
        break;
      case PUSH_REGISTER:
        requests.handle(command, frame.seq(), devicePush.register(body));
        break;
      default:
        requests.handle(command, frame.seq(), body);
    }
  }

  /**
   * Charges {@code frame} to the frame budget; false when it is refused (answered 429) or the
   * connection kicked for it.
   */
  private boolean withinFrameRate(Frame frame, Command command) {
    long now = loop.nanoTime();
    FrameRate.Verdict verdict =
        frame.cmd() == Command.PUSH.responseCode() ? frameRate.ack(now) : frameRate.frame(now);
    if (verdict == FrameRate.Verdict.ACCEPT) {
      return true;
    }
    if (verdict == FrameRate.Verdict.KICK) {
      gate.metrics().cut(ConnectionLimit.FRAME_RATE);
      gate.logic().kickedForFrameRate(identity.ref());
      LOG.info("session {}: kicked with {}", sessionId, Code.KICK_FRAME_RATE.value());
      close(out.kickFrame(Code.KICK_FRAME_RATE));
      return false;
    }
    gate.metrics().limited(ConnectionLimit.FRAME_RATE);
    String msg = "too many frames; slow down";
    if (command != null && command.direction() == Command.Direction.CLIENT) {
      out.respond(command, frame.seq(), Result.error(Code.RATE_LIMITED, msg).toJson());
    } else {
      out.error(Code.RATE_LIMITED, frame.seq(), msg);
    }
    return false;
  }

  /** After login the only response a client sends is the ack of a PUSH. */
  private void onClientResponse(Frame frame) {
    if (frame.cmd() != Command.PUSH.responseCode()) {
      out.error(Code.UNKNOWN_CMD, frame.seq(), unknownCmd(frame));
      return;
    }
    try {
      pushes.acknowledge(Fields.string(BodyParser.parse(frame.body()), "msgid"));
    } catch (MalformedBodyException e) {
      out.error(Code.BAD_REQUEST, frame.seq(), e.getMessage());
    }
  }

  private void onLogin(long seq, JsonObject body) {
    if (state != State.AWAITING_LOGIN) {
      out.respond(Command.LOGIN, seq, Result.error(Code.CONFLICT, "already logged in").toJson());
      return;
    }
    Future<TokenGrant> reply;
    try {
      devicePush.login(body);
      reply = identity.login(body);
    } catch (MalformedBodyException e) {
      gate.metrics().login(Code.BAD_REQUEST);
      out.respond(Command.LOGIN, seq, Result.error(Code.BAD_REQUEST, e.getMessage()).toJson());
      return;
    }
    state = State.LOGGING_IN;
    out.holdReading(true);
    reply.onComplete(decided -> loginDecided(seq, decided));
  }

  private void loginDecided(long seq, AsyncResult<TokenGrant> reply) {
    if (state == State.CLOSED) {
      return;
    }
    Code code = reply.succeeded() ? Code.OK : Reply.codeOf(reply.cause());
    gate.metrics().login(code);
    if (reply.succeeded()) {
      long now = loop.currentTimeMillis();
      state = State.ACTIVE;
      identity.loggedIn(now);
      devicePush.loggedIn(identity.ref());
      pushes.open();
      LOG.debug(
          "session {}: logged in uid={} appcode={} from {}",
          sessionId,
          identity.ref().uid(),
          identity.ref().appcode(),
          socket.remoteAddress());
      timers.startIdleCheck(expiresAtMs(reply.result()));
      out.respond(
          Command.LOGIN,
          seq,
          new LoginReply(sessionId, gate.settings().heartbeatSeconds(), now).toJson());
    } else if (code == Code.AUTH_FAILED) {
      close(
          FrameEncoder.response(
              Command.LOGIN, seq, Result.error(code, reply.cause().getMessage()).toJson()));
    } else {
      state = State.AWAITING_LOGIN;
      out.respond(
          Command.LOGIN,
          seq,
          LoginRetryHint.refusal(code, reply.cause().getMessage(), ThreadLocalRandom.current())
              .toJson());
    }
    releaseHeldFrames();
  }

  /**
   * A REFRESH: its token, if the login role accepts it for this session's identity, replaces the
   * session's token, and the session now ends at the new token's expiry. Answered like a LOGIN: 401
   * closes the connection (as a LOGIN's), other refusals leave the session as it was.
   */
  private void onRefresh(long seq, JsonObject body) {
    String token;
    try {
      token = Fields.string(body, "token");
    } catch (MalformedBodyException e) {
      out.respond(Command.REFRESH, seq, Result.error(Code.BAD_REQUEST, e.getMessage()).toJson());
      return;
    }
    if (refreshing) {
      out.respond(
          Command.REFRESH,
          seq,
          Result.error(Code.RATE_LIMITED, "a REFRESH is already being decided").toJson());
      return;
    }
    refreshing = true;
    identity.refresh(token).onComplete(decided -> refreshDecided(seq, decided));
  }

  private void refreshDecided(long seq, AsyncResult<TokenGrant> reply) {
    refreshing = false;
    if (state == State.CLOSED) {
      return;
    }
    Code code = reply.succeeded() ? Code.OK : Reply.codeOf(reply.cause());
    gate.metrics().refresh(code);
    if (reply.succeeded()) {
      timers.expiresAt(expiresAtMs(reply.result()));
      out.respond(Command.REFRESH, seq, new RefreshReply(reply.result().exp()).toJson());
    } else if (code == Code.AUTH_FAILED) {
      close(
          FrameEncoder.response(
              Command.REFRESH, seq, Result.error(code, reply.cause().getMessage()).toJson()));
    } else {
      out.respond(
          Command.REFRESH,
          seq,
          LoginRetryHint.refusal(code, reply.cause().getMessage(), ThreadLocalRandom.current())
              .toJson());
    }
  }

  /** When a session whose token is {@code grant} ends: its {@code exp}, if it has one. */
  private static long expiresAtMs(TokenGrant grant) {
    return grant.exp() > 0 && grant.exp() < SessionTimers.NEVER / 1000
        ? grant.exp() * 1000
        : SessionTimers.NEVER;
  }

  /** The session's token expired without a REFRESH: KICK 4004. */
  private void tokenExpired() {
    gate.metrics().tokenExpired();
    kick(Code.KICK_TOKEN_EXPIRED);
  }

  private void releaseHeldFrames() {
    while (state != State.LOGGING_IN && heldDuringLogin != null && !heldDuringLogin.isEmpty()) {
      handle(heldDuringLogin.poll());
    }
    if (state != State.LOGGING_IN) {
      heldDuringLogin = null;
    }
    out.holdReading(state == State.LOGGING_IN);
  }

  private void loginDeadlinePassed() {
    if (state == State.AWAITING_LOGIN || state == State.LOGGING_IN) {
      LOG.debug("session {}: login timeout", sessionId);
      close(null);
    }
  }

  /** ERROR {@code code} with {@code seq}, then close. */
  private void fail(Code code, long seq, String msg) {
    LOG.debug("session {}: closing with error {}: {}", sessionId, code.value(), msg);
    close(Outbound.errorFrame(code, seq, msg));
  }

  private static String unknownCmd(Frame frame) {
    return String.format("unknown cmd 0x%04x", frame.cmd());
  }

  /**
   * The one way a connection ends from the server side: write {@code lastFrame} if any, then close.
   */
  private void close(Buffer lastFrame) {
    if (state == State.CLOSED) {
      return;
    }
    stopReading();
    pushes.shut();
    out.end(lastFrame);
  }

  /**
   * The client does not read what is written to it ({@link Outbound}): the socket is being closed
   * without a frame.
   */
  private void cut(ConnectionLimit limit) {
    if (state == State.CLOSED) {
      return;
    }
    gate.metrics().cut(limit);
    LOG.info(
        "session {}: closed, not reading: {} bytes queued ({})",
        sessionId,
        out.pendingBytes(),
        limit.tag());
    stopReading();
    pushes.shut();
  }

  private void stopReading() {
    state = State.CLOSED;
    decoder.stop();
    timers.stop();
  }

  /** Runs once, when the socket has closed for any reason. */
  private void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    stopReading();
    pushes.clear();
    out.closed();
    heldDuringLogin = null;
    gate.sessions().remove(this);
    gate.connections().remove(this);
    closed.complete();
    identity.ended();
  }
}
