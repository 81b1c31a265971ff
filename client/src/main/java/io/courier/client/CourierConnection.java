package io.courier.client;

import io.courier.protocol.BodyParser;
import io.courier.protocol.Command;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client connection to a gate. Requests return their response body as a future (whatever its
 * {@code code}: the caller decides); server-initiated frames (PUSH, KICK, ERROR) go to {@link
 * #serverFrameHandler(Consumer)}. After a successful {@link #login} it sends PING at the heartbeat
 * the server advertised. Thread-safe: requests may be sent from any thread.
 */
public final class CourierConnection {
  /**
   * Responses may be larger than what a gate accepts (a PULL page), so the client's limit is
   * generous.
   */
  private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final ConnectionLink socket;
  private final Duration requestTimeout;
  private final FrameDecoder decoder;
  private final AtomicLong seq = new AtomicLong();
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final Promise<Void> closed = Promise.promise();
  private volatile Consumer<ServerFrame> serverFrameHandler = frame -> {};
  private volatile long heartbeatTimer = -1;

  CourierConnection(Vertx vertx, ConnectionLink socket, Duration requestTimeout) {
    this.vertx = vertx;
    this.socket = socket;
    this.requestTimeout = requestTimeout;
    this.decoder =
        new FrameDecoder(
            MAX_RESPONSE_BODY,
            new FrameDecoder.Sink() {
              @Override
              public void frame(Frame frame) {
                onFrame(frame);
              }

              @Override
              public void violation(FrameViolation violation) {
                socket.close();
              }
            });
    socket.handler(decoder::feed);
    socket.closeHandler(v -> onClosed());
  }

  /**
   * Logs in; on code 0 starts pinging at the advertised heartbeat. The result is the LOGIN response
   * body.
   */
  public Future<JsonObject> login(String uid, int appcode, String token) {
    JsonObject body = new JsonObject().put("uid", uid).put("appcode", appcode).put("token", token);
    return request(Command.LOGIN, body)
        .onSuccess(
            response -> {
              if (isOk(response)) {
                long intervalMs = response.getLong("heartbeat", 30L) * 1000;
                heartbeatTimer = vertx.setPeriodic(intervalMs, id -> ping());
              }
            });
  }

  /**
   * Presents a fresh token for the logged-in session (REFRESH): on code 0 the session goes on until
   * that token's {@code exp}, which the response carries. The result is the REFRESH response body;
   * after 401 the server closes the connection, after 403 (a token of another identity) the session
   * ends at its current token's expiry.
   */
  public Future<JsonObject> refresh(String token) {
    return request(Command.REFRESH, new JsonObject().put("token", token));
  }

  public Future<JsonObject> ping() {
    return request(Command.PING, new JsonObject());
  }

  /**
   * Sends a request and completes with its response body; fails on timeout or when the connection
   * closes.
   */
  public Future<JsonObject> request(Command command, JsonObject body) {
    long requestSeq = seq.incrementAndGet() & 0xFFFFFFFFL;
    Promise<JsonObject> promise = Promise.promise();
    pending.put(requestSeq, promise);
    long timer =
        vertx.setTimer(
            requestTimeout.toMillis(),
            id -> {
              Promise<JsonObject> expired = pending.remove(requestSeq);
              if (expired != null) {
                expired.tryFail(
                    new TimeoutException(command + " got no response within " + requestTimeout));
              }
            });
    socket.write(FrameEncoder.encode(command.code(), requestSeq, body)).onFailure(promise::tryFail);
    return promise.future().andThen(done -> vertx.cancelTimer(timer));
  }

  /** Acknowledges a PUSH: 0x8020 {@code {msgid}} with the PUSH's seq. */
  public Future<Void> ackPush(ServerFrame push) {
    return socket.write(FrameEncoder.pushAck(push.seq(), push.body().getString("msgid")));
  }

  /**
   * Receives PUSH, KICK and ERROR frames (an ERROR that answers a pending request also completes
   * it).
   */
  public CourierConnection serverFrameHandler(Consumer<ServerFrame> handler) {
    this.serverFrameHandler = handler;
    return this;
  }

  /** Completes when the connection has closed, from either side. */
  public Future<Void> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    return socket.close();
  }

  private void onFrame(Frame frame) {
    JsonObject body;
    try {
      body = BodyParser.parse(frame.body());
    } catch (MalformedBodyException e) {
      socket.close();
      return;
    }
    if (frame.isResponse()) {
      complete(frame.seq(), body);
      return;
    }
    Command command = Command.fromCode(frame.cmd());
    if (command == null || command.direction() != Command.Direction.SERVER) {
      return;
    }
    if (command == Command.ERROR) {
      complete(frame.seq(), body);
    }
    serverFrameHandler.accept(new ServerFrame(command, frame.seq(), body));
  }

  private static boolean isOk(JsonObject response) {
    try {
      return Result.fromJson(response).isOk();
    } catch (MalformedBodyException e) {
      return false;
    }
  }

  private void complete(long responseSeq, JsonObject body) {
    Promise<JsonObject> promise = pending.remove(responseSeq);
    if (promise != null) {
      promise.tryComplete(body);
    }
  }

  private void onClosed() {
    decoder.stop();
    if (heartbeatTimer != -1) {
      vertx.cancelTimer(heartbeatTimer);
    }
    for (Long requestSeq : new ArrayList<>(pending.keySet())) {
      Promise<JsonObject> promise = pending.remove(requestSeq);
      if (promise != null) {
        promise.tryFail(new IllegalStateException("connection closed"));
      }
    }
    closed.tryComplete();
  }
}
