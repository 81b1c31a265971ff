package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The business's C2S consumer on one node's bridge: registers {@code
 * courier.c2s.<appcode>.<msgtype>}, records each message it receives as a delivery to {@link
 * Checker#BUSINESS} (with its msgid, sender and key) and accepts it with code 0. While the workload
 * generates, it unregisters and registers again as its {@link ConsumerSchedule} says, so that qos-1
 * C2S are stored and drained later; afterwards it stays registered. Reconnects after its connection
 * breaks, until the run ends.
 */
final class BusinessConsumer implements Runnable {
  private static final int READ_TIMEOUT_MS = 1_000;
  static final String ADDRESS = "courier.c2s." + Topology.APPCODE + "." + Topology.C2S_MSGTYPE;

  private final NodeNet node;
  private final History history;
  private final Workload workload;
  private final ConsumerSchedule schedule;
  private final int index;
  private final C2sLedger ledger;
  private volatile boolean stopped;
  private int connections;

  BusinessConsumer(
      NodeNet node,
      History history,
      Workload workload,
      ConsumerSchedule schedule,
      int index,
      C2sLedger ledger) {
    this.node = node;
    this.history = history;
    this.workload = workload;
    this.schedule = schedule;
    this.index = index;
    this.ledger = ledger;
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
        boolean registered = false;
        while (!stopped) {
          boolean wanted = !workload.generating() || schedule.present(index, workload.elapsedMs());
          if (wanted != registered) {
            bridge.write(
                BridgeConnection.secured(
                    new JsonObject()
                        .put("type", wanted ? "register" : "unregister")
                        .put("address", ADDRESS)));
            registered = wanted;
            history.write(
                History.event("consumer")
                    .put("conn", conn)
                    .put("node", node.name())
                    .put("registered", registered));
          }
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
    String key = body.getString("content");
    JsonObject delivery =
        History.event("deliver")
            .put("term", Checker.BUSINESS)
            .put("conn", conn)
            .put("node", node.name())
            .put("via", "c2s")
            .put("msgid", body.getString("msgid"))
            .put("key", key)
            .put("from", body.getString("from_uid") + "/" + body.getValue("from_appcode"));
    if (body.getString("cmid") != null) {
      delivery.put("cmid", body.getString("cmid"));
    }
    history.write(delivery);
    ledger.received(key);
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
