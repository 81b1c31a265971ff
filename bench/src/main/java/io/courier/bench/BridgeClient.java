package io.courier.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A business connection to Courier's TCP event-bus bridge, speaking its raw framing (a 4-byte
 * big-endian length, then a UTF-8 JSON object: {@link BridgeCodec}) on a Vert.x {@link NetSocket},
 * as a business in another language would.
 *
 * <p>Requests get a distinct {@code replyAddress} each ({@code r-1}, {@code r-2} …) and complete
 * with the reply's body; an {@code err} frame naming that address fails them with a {@link
 * BridgeFailure}. Consumers registered with {@link #register} answer every message that carries a
 * {@code replyAddress}.
 *
 * <p>Confined to one context: create it with {@link #connect} and call it only from that context.
 * It owns its {@link NetClient} (closed by {@link #close()}), so the garbage collector cannot close
 * the connection.
 */
final class BridgeClient implements Requester {
  /**
   * Largest frame accepted from the node; far above any reply, so only a broken stream reaches it.
   */
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private static final long SWEEP_INTERVAL_MS = 250;

  /** A request the bridge answered with {@code err} ({@code NO_HANDLERS}, {@code TIMEOUT} …). */
  static final class BridgeFailure extends Exception {
    private final String kind;

    BridgeFailure(String kind, String message) {
      super(kind + ": " + message, null, false, false);
      this.kind = kind;
    }

    String kind() {
      return kind;
    }
  }

  private record Pending(Promise<JsonObject> promise, long sentNanos) {}

  private final Vertx vertx;
  private final NetClient netClient;
  private final NetSocket socket;
  private final long requestTimeoutNanos;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private final ArrayDeque<Promise<Void>> pongs = new ArrayDeque<>();
  private final Map<String, Function<JsonObject, JsonObject>> consumers = new HashMap<>();
  private final BridgeCodec codec = new BridgeCodec();
  private final long sweepTimer;
  private Buffer input = Buffer.buffer();
  private long nextReply;
  private long refusals;
  private String lastRefusal;
  private boolean closed;

  private BridgeClient(Vertx vertx, NetClient netClient, NetSocket socket, long requestTimeoutMs) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.socket = socket;
    this.requestTimeoutNanos = requestTimeoutMs * 1_000_000;
    socket.handler(this::onBytes);
    socket.closeHandler(v -> onClosed());
    this.sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweep());
  }

  /** Connects from {@code context}; every later call must be made on it. */
  static Future<BridgeClient> connect(
      Vertx vertx, Context context, String host, int port, long requestTimeoutMs) {
    Promise<BridgeClient> connected = Promise.promise();
    context.runOnContext(
        v -> {
          NetClient netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
          netClient
              .connect(port, host)
              .map(socket -> new BridgeClient(vertx, netClient, socket, requestTimeoutMs))
              .onFailure(e -> netClient.close())
              .onComplete(connected);
        });
    return connected.future();
  }

  /** Sends a request to {@code address}; completes with the reply's body. */
  @Override
  public Future<JsonObject> request(String address, JsonObject body) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("bridge connection closed"));
    }
    String replyAddress = "r-" + ++nextReply;
    Promise<JsonObject> promise = Promise.promise();
    pending.put(replyAddress, new Pending(promise, System.nanoTime()));
    socket.write(codec.send(address, replyAddress, body));
    return promise.future();
  }

  /**
   * Registers a consumer of {@code address}; {@code handler} maps each message body to the reply
   * body. Completes when the bridge has processed the registration (a ping sent after it was
   * answered).
   */
  Future<Void> register(String address, Function<JsonObject, JsonObject> handler) {
    consumers.put(address, handler);
    write(new JsonObject().put("type", "register").put("address", address));
    return ping();
  }

  /** Completes with the pong: every frame sent before has been processed by the bridge. */
  Future<Void> ping() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("bridge connection closed"));
    }
    Promise<Void> pong = Promise.promise();
    pongs.add(pong);
    write(new JsonObject().put("type", "ping"));
    return pong.future();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** {@code err} frames that answered no request (a refused frame), and the last one's message. */
  long refusals() {
    return refusals;
  }

  String lastRefusal() {
    return lastRefusal;
  }

  Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    return netClient.close();
  }

  private void write(JsonObject frame) {
    socket.write(codec.frame(frame));
  }

  private void onBytes(Buffer chunk) {
    input = input.length() == 0 ? chunk : input.appendBuffer(chunk);
    byte[] bytes = input.getBytes();
    int pos = 0;
    while (bytes.length - pos >= 4) {
      int length =
          (bytes[pos] & 0xff) << 24
              | (bytes[pos + 1] & 0xff) << 16
              | (bytes[pos + 2] & 0xff) << 8
              | bytes[pos + 3] & 0xff;
      if (length < 0 || length > MAX_FRAME) {
        socket.close();
        return;
      }
      if (bytes.length - pos - 4 < length) {
        break;
      }
      JsonObject frame;
      try {
        frame = BridgeCodec.parse(bytes, pos + 4, pos + 4 + length);
      } catch (DecodeException e) {
        socket.close();
        return;
      }
      pos += 4 + length;
      onFrame(frame);
    }
    input = pos == bytes.length ? Buffer.buffer() : input.getBuffer(pos, bytes.length);
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type", "");
    String address = frame.getString("address");
    switch (type) {
      case "message":
        {
          Pending request = address == null ? null : pending.remove(address);
          if (request != null) {
            request.promise().tryComplete(frame.getJsonObject("body", new JsonObject()));
            return;
          }
          Function<JsonObject, JsonObject> consumer =
              address == null ? null : consumers.get(address);
          String replyAddress = frame.getString("replyAddress");
          if (consumer != null && replyAddress != null) {
            JsonObject reply = consumer.apply(frame.getJsonObject("body", new JsonObject()));
            write(
                new JsonObject()
                    .put("type", "send")
                    .put("address", replyAddress)
                    .put("body", reply));
          }
          return;
        }
      case "pong":
        {
          Promise<Void> pong = pongs.poll();
          if (pong != null) {
            pong.tryComplete();
          }
          return;
        }
      case "err":
        {
          Pending request = address == null ? null : pending.remove(address);
          if (request != null) {
            request
                .promise()
                .tryFail(
                    new BridgeFailure(
                        frame.getString("failureType", "err"), frame.getString("message", "")));
          } else {
            refusals++;
            lastRefusal = frame.encode();
          }
          return;
        }
      default:
        // unknown frame types are ignored, as unknown fields are
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending request = it.next();
      if (now - request.sentNanos() < requestTimeoutNanos) {
        break;
      }
      it.remove();
      request
          .promise()
          .tryFail(new TimeoutException("no reply from the bridge within the request timeout"));
    }
  }

  private void onClosed() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    IllegalStateException failure = new IllegalStateException("bridge connection closed");
    for (Pending request : pending.values()) {
      request.promise().tryFail(failure);
    }
    pending.clear();
    while (!pongs.isEmpty()) {
      pongs.poll().tryFail(failure);
    }
  }
}
