package io.courier.faults;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.faults.Topology.NodeNet;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One user's terminal {@code (uid, appcode)}, driven by a thread of its own: it logs in on a node
 * it picks, catches up (PULL, OFFLINE_ACK), sends C2C to the other terminals, C2G to the groups it
 * is a member of and C2S to the business, now and then drops its connection and logs in again
 * elsewhere, and acknowledges every PUSH. Every request is recorded with its outcome, every message
 * it receives as a delivery.
 *
 * <p>A C2C or C2G whose outcome is not known (no answer, 503, 504, 429) stays in an outbox and is
 * sent again later with the same cmid, maybe on another node: the resends the checker expects to be
 * answered with the first msgid. Half of its C2S are qos 1 with a cmid, handled the same way but
 * strictly in order, as a client that wants order does: while one is not answered 0, the next qos-1
 * C2S is a resend of it. The other half are qos 0 without cmid, as in version 1.
 */
final class Terminal implements Runnable {
  /** Bound of one request here: above the client's own 15 s, so the client's timeout decides. */
  private static final long WAIT_MS = 20_000;

  private static final int PAGE = 100;
  private static final int MAX_PAGES = 200;
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  /** A C2C, C2G or qos-1 C2S not yet answered with code 0; {@code to} is a uid or a group id. */
  private static final class Outgoing {
    final String to;
    final String cmid;
    final boolean group;
    int attempts;

    Outgoing(String to, String cmid, boolean group) {
      this.to = to;
      this.cmid = cmid;
      this.group = group;
    }
  }

  private final String uid;
  private final List<String> peers;
  private final List<String> groups;
  private final List<NodeNet> nodes;
  private final CourierClient client;
  private final History history;
  private final Random random;
  private final Workload workload;
  private final Deque<Outgoing> outbox = new ArrayDeque<>();
  private final Deque<Outgoing> c2sOutbox = new ArrayDeque<>();
  private final C2sLedger ledger;
  private CourierConnection connection;
  private String connId;
  private String nodeName;
  private int nextNode;
  private long sent;
  private long cursor;

  Terminal(
      String uid,
      List<String> peers,
      List<String> groups,
      List<NodeNet> nodes,
      CourierClient client,
      History history,
      long seed,
      Workload workload,
      C2sLedger ledger) {
    this.uid = uid;
    this.peers = peers;
    this.groups = groups;
    this.nodes = nodes;
    this.client = client;
    this.history = history;
    this.random = new Random(seed);
    this.workload = workload;
    this.ledger = ledger;
    this.nextNode = random.nextInt(nodes.size());
  }

  String name() {
    return name(uid);
  }

  static String name(String uid) {
    return uid + "/" + Topology.APPCODE;
  }

  @Override
  public void run() {
    try {
      while (workload.generating()) {
        step();
        pause(150 + random.nextInt(350));
      }
      finalCatchUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  private void step() throws InterruptedException {
    if (!connected() && !connect()) {
      pause(500 + random.nextInt(1_000));
      return;
    }
    double dice = random.nextDouble();
    if (!outbox.isEmpty() && dice < 0.25) {
      send(outbox.peekFirst());
    } else if (dice < 0.60) {
      Outgoing message =
          !groups.isEmpty() && random.nextInt(4) == 0
              ? new Outgoing(
                  groups.get(random.nextInt(groups.size())), "g-" + uid + "-" + ++sent, true)
              : new Outgoing(peer(), uid + "-" + ++sent, false);
      outbox.addLast(message);
      send(message);
    } else if (dice < 0.75) {
      if (random.nextBoolean()) {
        sendC2s();
      } else {
        if (c2sOutbox.isEmpty()) {
          c2sOutbox.addLast(new Outgoing(Checker.BUSINESS, "k-" + uid + "-" + ++sent, false));
        }
        sendQos1C2s(c2sOutbox.peekFirst());
      }
    } else if (dice < 0.87) {
      catchUp(false);
    } else if (dice < 0.91) {
      disconnect();
    }
  }

  /** After the faults: logs in again if needed and pulls until nothing is left, with a bound. */
  private void finalCatchUp() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      if ((connected() || connect()) && catchUp(true)) {
        history.write(History.event("catchup").put("term", name()).put("ok", true));
        return;
      }
      pause(1_000);
    }
    history.write(History.event("catchup").put("term", name()).put("ok", false));
  }

  private boolean connected() {
    return connection != null && !connection.closed().isComplete();
  }

  private boolean connect() throws InterruptedException {
    NodeNet node = nodes.get(nextNode);
    nextNode = (nextNode + 1 + random.nextInt(nodes.size() - 1)) % nodes.size();
    long start = System.currentTimeMillis();
    JsonObject op = op("login", start).put("node", node.name());
    CourierConnection opened;
    try {
      opened = await(client.connect(Topology.GATE_PORT, node.address()));
    } catch (Exception e) {
      record(op.put("code", History.NO_ANSWER).put("err", "connect: " + e.getMessage()));
      return false;
    }
    String id = "c" + CONNECTIONS.incrementAndGet();
    opened.serverFrameHandler(frame -> onServerFrame(opened, id, node.name(), frame));
    op.put("conn", id);
    try {
      JsonObject answer =
          await(
              opened.login(
                  uid, Topology.APPCODE, Jwt.sign(uid, Topology.APPCODE, Topology.APP_SECRET)));
      int code = answer.getInteger("code", History.NO_ANSWER);
      record(op.put("code", code));
      if (code != 0) {
        opened.close();
        return false;
      }
    } catch (Exception e) {
      record(op.put("code", History.NO_ANSWER).put("err", e.getMessage()));
      opened.close();
      return false;
    }
    connection = opened;
    connId = id;
    nodeName = node.name();
    catchUp(false);
    return true;
  }

  /** Runs on the connection's event loop: records each PUSH, then acknowledges it. */
  private void onServerFrame(CourierConnection from, String conn, String node, ServerFrame frame) {
    if (frame.command() != Command.PUSH) {
      return;
    }
    history.write(delivery(frame.body(), conn, node, "push"));
    from.ackPush(frame);
  }

  /** A {@code deliver} event of a PUSH or PULL entry; a group message's names its group. */
  private JsonObject delivery(JsonObject message, String conn, String node, String via) {
    JsonObject event =
        History.event("deliver")
            .put("term", name())
            .put("conn", conn)
            .put("node", node)
            .put("via", via)
            .put("msgid", message.getString("msgid"))
            .put("key", message.getString("content"))
            .put("kind", message.getString("kind"));
    if (message.getString("group_id") != null) {
      event.put("group", message.getString("group_id"));
    }
    return event;
  }

  private void send(Outgoing message) throws InterruptedException {
    if (message.group) {
      sendC2g(message);
    } else {
      sendC2c(message);
    }
  }

  /**
   * A C2G whose content is its cmid, to one of the terminal's groups; kept in the outbox, like a
   * C2C, until answered 0 or refused for good.
   */
  private void sendC2g(Outgoing message) throws InterruptedException {
    message.attempts++;
    JsonObject body =
        new JsonObject()
            .put("group_id", message.to)
            .put("cmid", message.cmid)
            .put("msgtype", 1)
            .put("content", message.cmid);
    JsonObject op =
        op("c2g", System.currentTimeMillis())
            .put("group", message.to)
            .put("key", message.cmid)
            .put("attempt", message.attempts);
    settle(message, request(Command.C2G, body, op));
  }

  private void sendC2c(Outgoing message) throws InterruptedException {
    message.attempts++;
    JsonObject body =
        new JsonObject()
            .put("to_uid", message.to)
            .put("to_appcode", Topology.APPCODE)
            .put("cmid", message.cmid)
            .put("msgtype", 1)
            .put("content", message.cmid);
    JsonObject op =
        op("c2c", System.currentTimeMillis())
            .put("to", name(message.to))
            .put("key", message.cmid)
            .put("attempt", message.attempts);
    settle(message, request(Command.C2C, body, op));
  }

  /** Takes a C2C or C2G out of the outbox once answered 0 or refused for good. */
  private void settle(Outgoing message, JsonObject answer) {
    int code = answer == null ? History.NO_ANSWER : answer.getInteger("code");
    if (code == 0 || code == 400 || code == 403 || code == 404 || code == 410 || code == 413) {
      outbox.remove(message);
    }
  }

  /**
   * A qos-1 C2S whose content is its cmid. Answered 0 (handed or stored) it must reach the
   * business; no answer, 503, 504 or 429 leave it at the head of the outbox, to be sent again with
   * its cmid.
   */
  private void sendQos1C2s(Outgoing message) throws InterruptedException {
    message.attempts++;
    JsonObject body =
        new JsonObject()
            .put("msgtype", Topology.C2S_MSGTYPE)
            .put("content", message.cmid)
            .put("cmid", message.cmid)
            .put("qos", 1);
    JsonObject op =
        op("c2s", System.currentTimeMillis())
            .put("to", Checker.BUSINESS)
            .put("key", message.cmid)
            .put("cmid", message.cmid)
            .put("qos", 1)
            .put("attempt", message.attempts);
    JsonObject answer = request(Command.C2S, body, op);
    int code = answer == null ? History.NO_ANSWER : answer.getInteger("code");
    if (code == 0) {
      ledger.answered(message.cmid);
    }
    if (code == 0 || code == 400 || code == 403 || code == 413) {
      c2sOutbox.remove(message);
    }
  }

  private void sendC2s() throws InterruptedException {
    String key = "q-" + uid + "-" + ++sent;
    JsonObject op =
        op("c2s", System.currentTimeMillis()).put("to", Checker.BUSINESS).put("key", key);
    request(
        Command.C2S, new JsonObject().put("msgtype", Topology.C2S_MSGTYPE).put("content", key), op);
  }

  /**
   * PULL page after page, recording each message as delivered, and OFFLINE_ACK what came; until a
   * page is empty. The final catch-up pulls from the start (no cursor), so that everything still in
   * the offline store comes. False when a request failed.
   */
  private boolean catchUp(boolean fromStart) throws InterruptedException {
    long after = fromStart ? 0 : cursor;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonObject body = new JsonObject().put("limit", PAGE);
      if (after != 0) {
        body.put("after", Long.toUnsignedString(after));
      }
      JsonObject answer = request(Command.PULL, body, op("pull", System.currentTimeMillis()));
      if (answer == null || answer.getInteger("code") != 0) {
        return false;
      }
      JsonArray msgs = answer.getJsonArray("msgs", new JsonArray());
      List<String> msgids = new ArrayList<>();
      for (Object item : msgs) {
        JsonObject message = (JsonObject) item;
        String msgid = message.getString("msgid");
        msgids.add(msgid);
        long value = Long.parseUnsignedLong(msgid);
        if (Long.compareUnsigned(value, after) > 0) {
          after = value;
        }
        history.write(delivery(message, connId, nodeName, "pull"));
      }
      if (Long.compareUnsigned(after, cursor) > 0) {
        cursor = after;
      }
      if (!msgids.isEmpty()) {
        JsonObject acked =
            request(
                Command.OFFLINE_ACK,
                new JsonObject().put("msgids", new JsonArray(msgids)),
                op("offline_ack", System.currentTimeMillis()));
        if (acked == null || acked.getInteger("code") != 0) {
          return false;
        }
      }
      if (msgs.isEmpty() && !answer.getBoolean("more", false)) {
        return true;
      }
    }
    return false;
  }

  private void disconnect() throws InterruptedException {
    if (random.nextBoolean()) {
      request(Command.LOGOUT, new JsonObject(), op("logout", System.currentTimeMillis()));
    }
    connection.close();
    connection = null;
  }

  /** Sends a request on the current connection and records it; null when it got no answer. */
  private JsonObject request(Command command, JsonObject body, JsonObject op)
      throws InterruptedException {
    op.put("conn", connId).put("node", nodeName);
    if (!connected()) {
      record(op.put("code", History.NO_ANSWER).put("err", "not connected"));
      return null;
    }
    try {
      JsonObject answer = await(connection.request(command, body));
      int code = answer.getInteger("code", History.NO_ANSWER);
      op.put("code", code);
      if (answer.getString("msgid") != null) {
        op.put("msgid", answer.getString("msgid"));
      }
      if (answer.getString("status") != null) {
        op.put("status", answer.getString("status"));
      }
      record(op);
      return answer;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      record(op.put("code", History.NO_ANSWER).put("err", String.valueOf(e.getMessage())));
      if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
        // as an app would after a request timed out: the connection is presumed dead
        connection.close();
        connection = null;
      }
      return null;
    }
  }

  private JsonObject op(String kind, long start) {
    return History.event("op")
        .put("id", history.nextOpId())
        .put("op", kind)
        .put("t", start)
        .put("from", name());
  }

  private void record(JsonObject op) {
    history.write(op.put("end", System.currentTimeMillis()));
  }

  private String peer() {
    return peers.get(random.nextInt(peers.size()));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  private static void pause(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
