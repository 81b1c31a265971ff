package io.courier.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A logged-in test client: the project's {@link CourierConnection} plus a queue of the frames the
 * server sent on its own (PUSH, KICK, ERROR) and helpers for the commands tests use most.
 */
public final class TestSession {
  /** Bound of every wait for a frame. */
  public static final long WAIT_SECONDS = 10;

  /** The result of {@code promise}, waiting at most {@link #WAIT_SECONDS}. */
  public static <T> T await(Promise<T> promise) throws TimeoutException {
    return promise.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private final CourierConnection connection;
  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
  private final boolean autoAck;

  private TestSession(CourierConnection connection, boolean autoAck) {
    this.connection = connection;
    this.autoAck = autoAck;
    connection.serverFrameHandler(
        frame -> {
          if (autoAck && frame.command() == Command.PUSH) {
            connection.ackPush(frame);
          }
          frames.add(frame);
        });
  }

  /**
   * Connects and logs in {@code (uid, appcode)}; pushes are acknowledged automatically when {@code
   * autoAck}.
   */
  public static TestSession login(
      CourierClient client,
      TestNode node,
      Tokens tokens,
      String uid,
      int appcode,
      boolean autoAck) {
    return login(client, node.gatePort(), tokens, uid, appcode, autoAck);
  }

  /**
   * Connects and logs in {@code (uid, appcode)} with {@code extra} fields in the LOGIN body (e.g.
   * {@code device_id}, {@code push}).
   */
  public static TestSession loginWith(
      CourierClient client,
      TestNode node,
      Tokens tokens,
      String uid,
      int appcode,
      boolean autoAck,
      JsonObject extra) {
    CourierConnection connection = client.connect(node.gatePort(), "127.0.0.1").await();
    TestSession session = new TestSession(connection, autoAck);
    JsonObject body =
        extra
            .copy()
            .put("uid", uid)
            .put("appcode", appcode)
            .put("token", tokens.valid(uid, appcode));
    JsonObject answer = connection.request(Command.LOGIN, body).await();
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return session;
  }

  /** Connects to the gate on {@code gatePort} of 127.0.0.1 and logs in. */
  public static TestSession login(
      CourierClient client, int gatePort, Tokens tokens, String uid, int appcode, boolean autoAck) {
    return login(client, gatePort, uid, appcode, tokens.valid(uid, appcode), autoAck);
  }

  /** Connects to the gate on {@code gatePort} of 127.0.0.1 and logs in with {@code token}. */
  public static TestSession login(
      CourierClient client, int gatePort, String uid, int appcode, String token, boolean autoAck) {
    CourierConnection connection = client.connect(gatePort, "127.0.0.1").await();
    TestSession session = new TestSession(connection, autoAck);
    JsonObject answer = connection.login(uid, appcode, token).await();
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return session;
  }

  /**
   * Connects to the WebSocket gate ({@code GET /ws} on the node's HTTP port) and logs in; pushes
   * are acknowledged automatically.
   */
  public static TestSession loginWebSocket(
      CourierClient client, TestNode node, Tokens tokens, String uid, int appcode) {
    CourierConnection connection = client.connectWebSocket(node.httpPort(), "127.0.0.1").await();
    TestSession session = new TestSession(connection, true);
    JsonObject answer = connection.login(uid, appcode, tokens.valid(uid, appcode)).await();
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return session;
  }

  /** Whether the server sent nothing on its own that is still unread. */
  public boolean noFrameWaiting() {
    return frames.isEmpty();
  }

  public static TestSession login(
      CourierClient client, TestNode node, Tokens tokens, String uid, int appcode) {
    return login(client, node, tokens, uid, appcode, true);
  }

  public CourierConnection connection() {
    return connection;
  }

  /** The next frame the server sent on its own, waiting at most {@value #WAIT_SECONDS} s. */
  public ServerFrame nextFrame() {
    try {
      ServerFrame frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(frame, "no frame from the server within " + WAIT_SECONDS + " s");
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next PUSH body. */
  public JsonObject nextPush() {
    ServerFrame frame = nextFrame();
    assertEquals(Command.PUSH, frame.command(), frame.toString());
    return frame.body();
  }

  /** The next PUSH frame, to acknowledge it by hand when the session does not ack automatically. */
  public ServerFrame nextPushFrame() {
    ServerFrame frame = nextFrame();
    assertEquals(Command.PUSH, frame.command(), frame.toString());
    return frame;
  }

  public JsonObject request(Command command, JsonObject body) {
    return connection.request(command, body).await();
  }

  public JsonObject c2c(String toUid, int toAppcode, String cmid, String content) {
    return request(
        Command.C2C,
        new JsonObject()
            .put("to_uid", toUid)
            .put("to_appcode", toAppcode)
            .put("cmid", cmid)
            .put("msgtype", 1)
            .put("content", content));
  }

  public JsonObject pull(String after, Integer limit) {
    JsonObject body = new JsonObject();
    if (after != null) {
      body.put("after", after);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    return request(Command.PULL, body);
  }

  public JsonObject offlineAck(String upto) {
    return request(Command.OFFLINE_ACK, new JsonObject().put("upto", upto));
  }

  public JsonObject history(String peer, String before, Integer limit) {
    JsonObject body = new JsonObject().put("peer_uid", peer);
    if (before != null) {
      body.put("before", before);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    return request(Command.HISTORY, body);
  }

  public void close() {
    connection.close().await();
  }

  /** Whether pushes are acknowledged automatically. */
  public boolean autoAck() {
    return autoAck;
  }
}
