package io.courier.cluster;

import io.courier.client.CourierClient;
import io.courier.testkit.FreePorts;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.NodeProcess;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Courier processes started from the built jar with the README's cluster command ({@code java -jar
 * courier.jar -cluster}) on loopback: Redis presence, MySQL shards, all roles on every node, join
 * wait and drain 0. Each process logs to a file under {@code target/it-logs}, whose last lines a
 * failure quotes.
 */
final class CourierProcesses implements AutoCloseable {

  /** One started node: its process and its ports. */
  record Node(NodeProcess process, int gatePort, int bridgePort, int httpPort) {}

  private final List<Node> nodes = new ArrayList<>();
  private final Path logs;

  private CourierProcesses(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts {@code count} nodes of one new cluster on the MySQL databases {@code shards} and waits
   * until each reports ready.
   */
  static CourierProcesses start(int count, List<String> shards) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path logs = Files.createDirectories(Path.of("target", "it-logs", run));
    CourierProcesses cluster = new CourierProcesses(logs);
    List<Integer> memberPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      memberPorts.add(FreePorts.next());
    }
    try {
      // the first node creates the tables alone; the others then find them and start together
      cluster.nodes.add(cluster.launch(0, run, memberPorts, shards));
      cluster.awaitReady(cluster.nodes.get(0));
      for (int i = 1; i < count; i++) {
        cluster.nodes.add(cluster.launch(i, run, memberPorts, shards));
      }
      for (Node node : cluster.nodes) {
        cluster.awaitReady(node);
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  Node node(int index) {
    return nodes.get(index);
  }

  /**
   * Logs {@code uid} in on node {@code index}'s gate; a failure quotes the node's last log lines.
   */
  TestSession login(
      CourierClient client, int index, Tokens tokens, String uid, int appcode, boolean autoAck) {
    try {
      return TestSession.login(client, node(index).gatePort(), tokens, uid, appcode, autoAck);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "login of " + uid + " on node " + index + " failed: " + e + "; " + describe(), e);
    }
  }

  /** Kills node {@code index} with SIGKILL and waits until it is gone. */
  void kill(int index) throws InterruptedException {
    nodes.get(index).process().kill();
  }

  /** Where the nodes log, with the last lines of each. */
  String describe() {
    return nodes.stream()
        .map(node -> node.process().describe())
        .collect(Collectors.joining("\n", "logs in " + logs.toAbsolutePath() + ":\n", ""));
  }

  /** Kills every node and waits until they are gone. */
  @Override
  public void close() {
    nodes.forEach(node -> node.process().killNow());
    for (Node node : nodes) {
      try {
        node.process().kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Node launch(int index, String run, List<Integer> memberPorts, List<String> shards)
      throws IOException {
    int gatePort = FreePorts.next();
    int bridgePort = FreePorts.next();
    int httpPort = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("COURIER_CLUSTER_NAME", "courier-it-" + run);
    env.put("COURIER_CLUSTER_HOST", "127.0.0.1");
    env.put("COURIER_CLUSTER_PORT", Integer.toString(memberPorts.get(index)));
    env.put(
        "COURIER_CLUSTER_MEMBERS",
        String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList()));
    env.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "0");
    env.put("COURIER_CLUSTER_SECRET", ClusterNode.CLUSTER_SECRET);
    env.put("COURIER_NODE_ID", Integer.toString(index));
    env.put("COURIER_GATE_HOST", "127.0.0.1");
    env.put("COURIER_GATE_PORT", Integer.toString(gatePort));
    env.put("COURIER_HTTP_PORT", Integer.toString(httpPort));
    env.put("COURIER_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_BRIDGE_PORT", Integer.toString(bridgePort));
    env.put("COURIER_PRESENCE", "redis");
    env.put("COURIER_REDIS_URL", LocalServices.REDIS_URL);
    env.put("COURIER_STORE", "mysql");
    env.put(
        "COURIER_MYSQL_SHARDS",
        String.join(",", shards.stream().map(MySqlDatabases::uri).toList()));
    env.put("COURIER_DRAIN_SECONDS", "0");
    NodeProcess process = NodeProcess.start("node" + index, env, logs);
    return new Node(process, gatePort, bridgePort, httpPort);
  }

  private void awaitReady(Node node) throws InterruptedException {
    node.process().awaitReady(node.httpPort());
  }
}
