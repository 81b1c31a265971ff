package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The three Courier nodes, each in its own namespace, on the suite's Redis and MariaDB shards. */
final class Cluster {
  private final List<CourierNode> nodes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final History history;

  Cluster(
      List<NodeNet> nets,
      Path jar,
      Path logs,
      Path work,
      Backends backends,
      String name,
      int clockNode,
      History history) {
    this.history = history;
    List<String> members = new ArrayList<>();
    for (NodeNet net : nets) {
      members.add(net.address() + ":" + Topology.HAZELCAST_PORT);
    }
    for (NodeNet net : nets) {
      Map<String, String> env = new HashMap<>();
      env.put("COURIER_CLUSTER_NAME", name);
      env.put("COURIER_CLUSTER_SECRET", Topology.CLUSTER_SECRET);
      env.put("COURIER_CLUSTER_HOST", net.address());
      env.put("COURIER_CLUSTER_PORT", Integer.toString(Topology.HAZELCAST_PORT));
      env.put("COURIER_CLUSTER_MEMBERS", String.join(",", members));
      env.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "0");
      env.put("COURIER_NODE_ID", Integer.toString(net.index() + 1));
      env.put("COURIER_GATE_HOST", net.address());
      env.put("COURIER_GATE_PORT", Integer.toString(Topology.GATE_PORT));
      env.put("COURIER_HTTP_HOST", net.address());
      env.put("COURIER_HTTP_PORT", Integer.toString(Topology.HTTP_PORT));
      env.put("COURIER_ADMIN_PORT", Integer.toString(Topology.ADMIN_PORT));
      env.put("COURIER_ADMIN_TOKEN", Topology.ADMIN_TOKEN);
      env.put("COURIER_BRIDGE_HOST", net.address());
      env.put("COURIER_BRIDGE_PORT", Integer.toString(Topology.BRIDGE_PORT));
      env.put("COURIER_BRIDGE_SECRET", Topology.BRIDGE_SECRET);
      env.put("COURIER_APPS", Topology.APPCODE + "=" + Topology.APP_SECRET);
      env.put("COURIER_PRESENCE", "redis");
      env.put("COURIER_REDIS_URL", backends.redisUrl());
      env.put("COURIER_STORE", "mysql");
      env.put("COURIER_MYSQL_SHARDS", String.join(",", backends.shardUris()));
      env.put("COURIER_DRAIN_SECONDS", "0");
      nodes.add(new CourierNode(net, jar, logs, work, env, net.index() == clockNode));
    }
  }

  List<CourierNode> nodes() {
    return nodes;
  }

  CourierNode node(int index) {
    return nodes.get(index);
  }

  /** Starts the first node alone (it creates the tables), then the others together. */
  void start() throws IOException, InterruptedException {
    startNode(nodes.get(0));
    awaitNodeReady(nodes.get(0));
    for (CourierNode node : nodes.subList(1, nodes.size())) {
      startNode(node);
    }
    for (CourierNode node : nodes.subList(1, nodes.size())) {
      awaitNodeReady(node);
    }
  }

  /**
   * Waits for a started node; one that exits before it is ready is recorded as {@code start-failed}
   * and fails the run: a node retries its stores by itself while they do not answer (the suite
   * restarted such nodes before that was fixed).
   */
  void awaitNodeReady(CourierNode node) throws IOException, InterruptedException {
    try {
      history.node(node.name(), node.awaitReady(), true);
    } catch (IllegalStateException failed) {
      history.write(
          History.event("start-failed")
              .put("name", node.name())
              .put("detail", failed.getMessage()));
      throw failed;
    }
  }

  void startNode(CourierNode node) throws IOException {
    node.start();
  }

  /**
   * Why the cluster is not whole, or null when it is: every node runs and lists every gate, and
   * every bridge accepts connections.
   */
  String unhealthy() {
    Set<String> expected = new HashSet<>();
    for (CourierNode node : nodes) {
      if (!node.alive()) {
        return node.name() + " is not running";
      }
      expected.add(node.net().address());
    }
    for (CourierNode node : nodes) {
      Set<String> listed = new HashSet<>();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + node.net().address()
                                + ":"
                                + Topology.HTTP_PORT
                                + "/v1/gates"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          return node.name() + " answered GET /v1/gates with " + response.statusCode();
        }
        JsonArray gates = new JsonObject(response.body()).getJsonArray("gates");
        for (Object gate : gates) {
          listed.add(((JsonObject) gate).getString("host"));
        }
      } catch (IOException | RuntimeException e) {
        return node.name() + " did not answer GET /v1/gates: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      if (!listed.equals(expected)) {
        return node.name() + " lists the gates " + listed;
      }
    }
    return null;
  }

  void stop() throws InterruptedException {
    for (CourierNode node : nodes) {
      node.resume();
      node.kill();
    }
  }
}
