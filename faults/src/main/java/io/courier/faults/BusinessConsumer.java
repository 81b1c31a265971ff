package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The business's C2S consumer on one node's bridge: registers {@code
 * courier.c2s.<appcode>.<msgtype>}, records each message it receives as a delivery to {@link
 * Checker#BUSINESS} and accepts it with code 0. Reconnects after its connection breaks, until the
 * run ends.
 */
final class BusinessConsumer implements Runnable {
  private static final int READ_TIMEOUT_MS = 1_000;
  private static final String ADDRESS =
      "courier.c2s." + Topology.APPCODE + "." + Topology.C2S_MSGTYPE;

  private final NodeNet node;
  private final History history;
  private volatile boolean stopped;
  private int connections;

  BusinessConsumer(NodeNet node, History history) {
    this.node = node;
    this.history = history;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    while (!stopped) {
      String conn = "q-" + node.name() + "-" + ++connections;
      try (BridgeConnection bridge =
          new BridgeConnection(node.address(), Topology.BRIDGE_PORT, READ_TIMEOUT_MS)) {
        bridge.write(
            BridgeConnection.secured(
                new JsonObject().put("type", "register").put("address", ADDRESS)));
        while (!stopped) {
          JsonObject frame;
          try {
            frame = bridge.read();
          } catch (SocketTimeoutException idle) {
            bridge.write(new JsonObject().put("type", "ping"));
            continue;
          }
          if ("message".equals(frame.getString("type"))
              && ADDRESS.equals(frame.getString("address"))) {
            accept(bridge, conn, frame);
          }
        }
      } catch (IOException e) {
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void accept(BridgeConnection bridge, String conn, JsonObject frame) throws IOException {
    JsonObject body = frame.getJsonObject("body", new JsonObject());
    history.write(
        History.event("deliver")
            .put("term", Checker.BUSINESS)
            .put("conn", conn)
            .put("node", node.name())
            .put("via", "c2s")
            .put("msgid", body.getString("msgid"))
            .put("key", body.getString("content")));
    String replyAddress = frame.getString("replyAddress");
    if (replyAddress != null) {
      bridge.write(
          BridgeConnection.secured(
              new JsonObject()
                  .put("type", "send")
                  .put("address", replyAddress)
                  .put("body", new JsonObject().put("code", 0))));
    }
  }
}
