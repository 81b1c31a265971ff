package io.courier.client;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.LoginRefusal;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A login that outlives its connection: it connects to the first gate of a {@link GateSource} that
 * accepts, logs in, and when the connection ends — its gate died, the network went, KICK 4002 or
 * 4003 — or an attempt fails, it tries again after a wait drawn by {@link ReconnectBackoff}, until
 * {@link #close()}. Made by {@link CourierClient#reconnecting}; a plain {@link CourierConnection}
 * never reconnects.
 *
 * <p>It asks its token supplier for a token before every LOGIN. After KICK 4004 (the token expired,
 * or was revoked) it logs in again at once, without a wait, with the token the supplier gives then:
 * the supplier should hand out a fresh one. A session that wants to go on without a new LOGIN sends
 * REFRESH itself ({@link CourierConnection#refresh}) before its token's {@code exp}.
 *
 * <p>It stops for good, failing {@link #stopped()}, when a LOGIN is refused with 401 (retrying the
 * same token cannot help) or when it is kicked with 4001: a newer login of the same {@code (uid,
 * appcode)} took over, and logging in again would kick that one in turn.
 *
 * <p>Every connection gets the {@link #serverFrameHandler} before its LOGIN; {@link
 * #loggedInHandler} runs after each successful login (the place to PULL what arrived meanwhile) and
 * {@link #retryHandler} after each failed attempt or lost connection, with the wait chosen. Set
 * them before {@link #start()}.
 */
public final class ReconnectingSession {

  /**
   * An attempt failed, or a logged-in connection ended, and the next attempt comes after {@code
   * delayMs}.
   *
   * @param failures failed attempts in a row, this one included (a lost connection counts as 1; 0
   *     after KICK 4004, which is followed by a new LOGIN at once)
   * @param retryAfterMs the server's {@code retry_after} when the LOGIN was refused with one
   * @param reason what went wrong, for logs
   */
  public record Retry(int failures, long delayMs, Long retryAfterMs, String reason) {}

  /** A LOGIN answered with a code other than 0. */
  private static final class Refused extends Exception {
    final LoginRefusal refusal;

    Refused(LoginRefusal refusal) {
      super(
          "LOGIN refused with "
              + refusal.result().code().value()
              + " ("
              + refusal.result().msg()
              + ")",
          null,
          false,
          false);
      this.refusal = refusal;
    }
  }

  private final CourierClient client;
  private final Vertx vertx;
  private final GateSource gates;
  private final String uid;
  private final int appcode;
  private final Supplier<String> token;
  private final ReconnectBackoff backoff;
  private final Promise<Void> stopped = Promise.promise();
  private volatile Consumer<ServerFrame> serverFrameHandler = frame -> {};
  private volatile Consumer<CourierConnection> loggedInHandler = connection -> {};
  private volatile Consumer<Retry> retryHandler = retry -> {};
  private volatile boolean started;
  private volatile CourierConnection current;
  private volatile long timer = -1;

  /** Failed attempts in a row; attempts run one after the other, never two at once. */
  private volatile int failures;

  ReconnectingSession(
      CourierClient client,
      Vertx vertx,
      GateSource gates,
      String uid,
      int appcode,
      Supplier<String> token,
      ReconnectBackoff backoff) {
    this.client = client;
    this.vertx = vertx;
    this.gates = gates;
    this.uid = uid;
    this.appcode = appcode;
    this.token = token;
    this.backoff = backoff;
  }

  /** Receives the PUSH, KICK and ERROR frames of every connection the session opens. */
  public ReconnectingSession serverFrameHandler(Consumer<ServerFrame> handler) {
    this.serverFrameHandler = handler;
    return this;
  }

  /** Called with each connection that has just logged in. */
  public ReconnectingSession loggedInHandler(Consumer<CourierConnection> handler) {
    this.loggedInHandler = handler;
    return this;
  }

  /** Called before each wait, with its length and cause. */
  public ReconnectingSession retryHandler(Consumer<Retry> handler) {
    this.retryHandler = handler;
    return this;
  }

  /** Makes the first attempt at once. */
  public ReconnectingSession start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    attempt();
    return this;
  }

  /** The logged-in connection, or null between connections. */
  public CourierConnection connection() {
    return current;
  }

  /**
   * Completes when the session has ended: succeeds after {@link #close()}, fails with the reason
   * after a 401 or a KICK 4001.
   */
  public Future<Void> stopped() {
    return stopped.future();
  }

  /** Stops reconnecting and closes the current connection. */
  public Future<Void> close() {
    client.forget(this);
    stopped.tryComplete();
    vertx.cancelTimer(timer);
    CourierConnection connection = current;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private boolean ended() {
    return stopped.future().isComplete();
  }

  private void attempt() {
    if (ended()) {
      return;
    }
    gates
        .gates()
        .compose(listed -> connect(listed, 0, null))
        .compose(this::logIn)
        .onComplete(
            outcome -> {
              if (outcome.succeeded()) {
                loggedIn(outcome.result());
              } else if (outcome.cause() instanceof Refused refused
                  && refused.refusal.result().code() == Code.AUTH_FAILED) {
                client.forget(this);
                stopped.tryFail(refused);
              } else {
                Long hint =
                    outcome.cause() instanceof Refused refused
                        ? refused.refusal.retryAfterMs()
                        : null;
                failures++;
                retryLater(hint, String.valueOf(outcome.cause().getMessage()));
              }
            });
  }

  /** Connects to the first gate from {@code index} on that accepts. */
  private Future<CourierConnection> connect(
      List<GateAddress> listed, int index, Throwable lastFailure) {
    if (index == listed.size()) {
      return Future.failedFuture(
          lastFailure != null ? lastFailure : new IllegalStateException("no gate listed"));
    }
    GateAddress gate = listed.get(index);
    return client
        .connect(gate.port(), gate.host())
        .recover(failure -> connect(listed, index + 1, failure));
  }

  private Future<CourierConnection> logIn(CourierConnection connection) {
    AtomicInteger kickCode = new AtomicInteger();
    connection.serverFrameHandler(
        frame -> {
          if (frame.command() == Command.KICK) {
            kickCode.set(frame.body().getInteger("code", 0));
          }
          serverFrameHandler.accept(frame);
        });
    connection.closed().onComplete(closed -> connectionEnded(connection, kickCode.get()));
    String signed;
    try {
      signed = token.get();
    } catch (RuntimeException e) {
      connection.close();
      return Future.failedFuture(e);
    }
    return connection
        .login(uid, appcode, signed)
        .compose(
            answer -> {
              if (isOk(answer)) {
                return Future.succeededFuture(connection);
              }
              connection.close();
              return Future.failedFuture(new Refused(refusal(answer)));
            },
            failure -> {
              connection.close();
              return Future.failedFuture(failure);
            });
  }

  private void loggedIn(CourierConnection connection) {
    failures = 0;
    current = connection;
    if (ended()) {
      connection.close();
      return;
    }
    loggedInHandler.accept(connection);
  }

  /** Any connection of the session closed; only the loss of a logged-in one leads to a retry. */
  private void connectionEnded(CourierConnection connection, int kickCode) {
    if (current != connection) {
      return;
    }
    current = null;
    if (ended()) {
      return;
    }
    if (kickCode == Code.KICK_REPLACED.value()) {
      client.forget(this);
      stopped.tryFail(new IllegalStateException("replaced by a newer login (KICK 4001)"));
      return;
    }
    if (kickCode == Code.KICK_TOKEN_EXPIRED.value()) {
      // nothing is wrong with the gate: waiting would only leave the user offline longer. A
      // supplier that gives the same spent token gets 401, which stops the session
      failures = 0;
      retryHandler.accept(
          new Retry(
              0, 0, null, "token expired or revoked (KICK 4004), logging in with a fresh token"));
      attempt();
      return;
    }
    failures = 1;
    retryLater(
        null, kickCode == 0 ? "connection lost" : "kicked with " + kickCode + ", reconnecting");
  }

  private void retryLater(Long retryAfterMs, String reason) {
    long delay = backoff.delayMs(failures, retryAfterMs);
    retryHandler.accept(new Retry(failures, delay, retryAfterMs, reason));
    if (!ended()) {
      timer = vertx.setTimer(Math.max(1, delay), id -> attempt());
    }
  }

  private static boolean isOk(JsonObject answer) {
    try {
      return Result.fromJson(answer).isOk();
    } catch (MalformedBodyException e) {
      return false;
    }
  }

  /** The refusal a LOGIN answer carries; a malformed one counts as 500 without a hint. */
  private static LoginRefusal refusal(JsonObject answer) {
    try {
      return LoginRefusal.fromJson(answer);
    } catch (MalformedBodyException e) {
      return new LoginRefusal(
          Result.error(Code.INTERNAL, "malformed LOGIN response: " + e.getMessage()), null);
    }
  }
}
