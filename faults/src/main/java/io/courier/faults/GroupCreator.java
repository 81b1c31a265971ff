package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;

/**
 * A business creating the workload's groups with {@code courier.group.create}, each through the
 * bridge of another node, before the terminals start and before the first fault. Each group is
 * recorded as a {@code group} event with its members: the checker's list of who must receive the
 * group's messages.
 *
 * @implNote A create that got no answer is sent again; a 409 then means that an earlier attempt
 *     created it (the run's stores start empty), so it counts as created: docs/groups.md section 3
 *     makes a retried create answer 409.
 */
final class GroupCreator {
  /** Bound of the whole creation: the cluster is whole and quiet then, so it is generous. */
  private static final long DEADLINE_MS = 60_000;

  private static final int REQUEST_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 15_000;

  private final List<NodeNet> nodes;
  private final History history;

  GroupCreator(List<NodeNet> nodes, History history) {
    this.nodes = nodes;
    this.history = history;
  }

  /** Creates every group; fails when one could not be created within the bound. */
  void create(List<GroupPlan.Group> groups) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    for (int i = 0; i < groups.size(); i++) {
      GroupPlan.Group group = groups.get(i);
      NodeNet node = nodes.get(i % nodes.size());
      String last = "no attempt";
      while (true) {
        try {
          int code = attempt(node, group);
          if (code == 0 || code == 409) {
            history.write(
                History.event("group")
                    .put("group", group.id())
                    .put("shard", group.shard())
                    .put("node", node.name())
                    .put("code", code)
                    .put(
                        "members",
                        new JsonArray(group.members().stream().map(Terminal::name).toList())));
            break;
          }
          last = "code " + code;
          if (code != 503 && code != 504) {
            throw new IllegalStateException("creating group " + group.id() + ": " + last);
          }
        } catch (IOException e) {
          last = String.valueOf(e.getMessage());
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("creating group " + group.id() + " failed: " + last);
        }
        Thread.sleep(1_000);
      }
    }
  }

  /** One create; its answer code, or an IOException when it got none. */
  private static int attempt(NodeNet node, GroupPlan.Group group) throws IOException {
    JsonArray members = new JsonArray();
    for (String uid : group.members()) {
      members.add(new JsonObject().put("uid", uid).put("appcode", Topology.APPCODE));
    }
    String replyAddress = "group-" + group.id();
    try (BridgeConnection bridge =
        new BridgeConnection(node.address(), Topology.BRIDGE_PORT, READ_TIMEOUT_MS)) {
      bridge.write(
          BridgeConnection.secured(
              new JsonObject()
                  .put("type", "send")
                  .put("address", "courier.group.create")
                  .put("replyAddress", replyAddress)
                  .put("headers", new JsonObject().put("timeout", REQUEST_TIMEOUT_MS))
                  .put(
                      "body",
                      new JsonObject()
                          .put("group_id", group.id())
                          .put("title", "faults " + group.id())
                          .put("members", members))));
      while (true) {
        JsonObject reply = bridge.read();
        if (!replyAddress.equals(reply.getString("address"))) {
          continue;
        }
        if ("err".equals(reply.getString("type"))) {
          throw new IOException("bridge error " + reply.getString("failureType"));
        }
        return reply.getJsonObject("body", new JsonObject()).getInteger("code", History.NO_ANSWER);
      }
    }
  }
}
