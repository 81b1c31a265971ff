package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * A business pushing to the terminals through one node's bridge: {@code courier.s2c} requests, qos
 * 1 and qos 0, one at a time, each recorded with its reply. After its connection breaks it connects
 * again to the same node (a business stays with its node; when the node is down its requests fail
 * and are recorded as such).
 */
final class BusinessSender implements Runnable {
  /**
   * Event-bus timeout of each request (headers.timeout), above the node's own bound on a push
   * (gate.requestTimeoutMs, 10 s), so that a push that waits that bound out is seen as the reply it
   * ends in; the socket's read bound is above it.
   */
  private static final int REQUEST_TIMEOUT_MS = 20_000;

  private static final int READ_TIMEOUT_MS = 25_000;

  private final NodeNet node;
  private final List<String> uids;
  private final History history;
  private final Random random;
  private final Workload workload;
  private int connections;
  private long sent;

  BusinessSender(NodeNet node, List<String> uids, History history, long seed, Workload workload) {
    this.node = node;
    this.uids = uids;
    this.history = history;
    this.random = new Random(seed);
    this.workload = workload;
  }

  @Override
  public void run() {
    try {
      while (workload.generating()) {
        String conn = "b-" + node.name() + "-" + ++connections;
        try (BridgeConnection bridge =
            new BridgeConnection(node.address(), Topology.BRIDGE_PORT, READ_TIMEOUT_MS)) {
          while (workload.generating()) {
            send(bridge, conn);
            Thread.sleep(100 + random.nextInt(300));
          }
        } catch (IOException e) {
          Thread.sleep(1_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(BridgeConnection bridge, String conn) throws IOException {
    String to = uids.get(random.nextInt(uids.size()));
    int qos = random.nextInt(10) < 7 ? 1 : 0;
    String key = "s-" + node.name() + "-" + ++sent;
    String replyAddress = "r-" + sent;
    JsonObject op =
        History.event("op")
            .put("id", history.nextOpId())
            .put("op", "s2c")
            .put("from", "bridge:" + node.name())
            .put("conn", conn)
            .put("node", node.name())
            .put("to", Terminal.name(to))
            .put("key", key)
            .put("qos", qos);
    JsonObject frame =
        BridgeConnection.secured(
            new JsonObject()
                .put("type", "send")
                .put("address", "courier.s2c")
                .put("replyAddress", replyAddress)
                .put("headers", new JsonObject().put("timeout", REQUEST_TIMEOUT_MS))
                .put(
                    "body",
                    new JsonObject()
                        .put("to_uid", to)
                        .put("to_appcode", Topology.APPCODE)
                        .put("msgtype", 2)
                        .put("content", key)
                        .put("qos", qos)));
    try {
      bridge.write(frame);
      while (true) {
        JsonObject reply = bridge.read();
        if (!replyAddress.equals(reply.getString("address"))) {
          continue;
        }
        if ("err".equals(reply.getString("type"))) {
          op.put("code", History.NO_ANSWER).put("err", reply.getString("failureType"));
        } else {
          JsonObject body = reply.getJsonObject("body", new JsonObject());
          op.put("code", body.getInteger("code", History.NO_ANSWER));
          if (body.getString("msgid") != null) {
            op.put("msgid", body.getString("msgid")).put("status", body.getString("status"));
          }
        }
        history.write(op.put("end", System.currentTimeMillis()));
        return;
      }
    } catch (IOException e) {
      history.write(
          op.put("code", History.NO_ANSWER)
              .put("err", String.valueOf(e.getMessage()))
              .put("end", System.currentTimeMillis()));
      throw e;
    }
  }
}
