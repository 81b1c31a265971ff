package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.testkit.FreePorts;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Courier processes started from the built jar with the README's cluster command ({@code java -jar
 * courier.jar -cluster}) on loopback: Redis presence, MySQL shards, all roles on every node, join
 * wait and drain 0. Each process logs to a file in a temporary directory named in failures.
 */
final class CourierProcesses implements AutoCloseable {
  /** Bound of the start of all nodes. */
  private static final long START_BOUND_MS = 90_000;

  /** One started node: its process and its ports. */
  record Node(Process process, int gatePort, int bridgePort) {}

  private final List<Node> nodes = new ArrayList<>();
  private final Path logs;

  private CourierProcesses(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts {@code count} nodes of one new cluster on the MySQL databases {@code shards} and waits
   * until each gate and bridge accepts connections.
   */
  static CourierProcesses start(int count, List<String> shards) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    CourierProcesses cluster = new CourierProcesses(Files.createTempDirectory("courier-it"));
    List<Integer> memberPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      memberPorts.add(FreePorts.next());
    }
    try {
      long deadline = System.currentTimeMillis() + START_BOUND_MS;
      // the first node creates the tables alone; the others then find them and start together
      cluster.nodes.add(cluster.launch(0, run, memberPorts, shards));
      cluster.awaitReady(cluster.nodes.get(0), deadline);
      for (int i = 1; i < count; i++) {
        cluster.nodes.add(cluster.launch(i, run, memberPorts, shards));
      }
      for (Node node : cluster.nodes) {
        cluster.awaitReady(node, deadline);
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

  /** Kills node {@code index} with SIGKILL and waits until it is gone. */
  void kill(int index) throws InterruptedException {
    nodes.get(index).process().destroyForcibly().waitFor();
  }

  /** Where the nodes log. */
  Path logs() {
    return logs;
  }

  /** Kills every node and waits until they are gone. */
  @Override
  public void close() {
    nodes.forEach(node -> node.process().destroyForcibly());
    for (Node node : nodes) {
      try {
        node.process().waitFor();
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
    env.put("COURIER_HTTP_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("COURIER_BRIDGE_PORT", Integer.toString(bridgePort));
    env.put("COURIER_PRESENCE", "redis");
    env.put("COURIER_REDIS_URL", LocalServices.REDIS_URL);
    env.put("COURIER_STORE", "mysql");
    env.put(
        "COURIER_MYSQL_SHARDS",
        String.join(",", shards.stream().map(MySqlDatabases::uri).toList()));
    env.put("COURIER_DRAIN_SECONDS", "0");
    String jar = System.getProperty("courier.jar", "target/courier.jar");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder =
        new ProcessBuilder(java, "-jar", jar, "-cluster")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("node" + index + ".log").toFile());
    builder.environment().putAll(env);
    return new Node(builder.start(), gatePort, bridgePort);
  }

  private void awaitReady(Node node, long deadline) throws InterruptedException {
    awaitListening(node.gatePort(), deadline);
    awaitListening(node.bridgePort(), deadline);
  }

  private void awaitListening(int port, long deadline) throws InterruptedException {
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        assertTrue(
            System.currentTimeMillis() < deadline,
            "node on port " + port + " did not start; logs in " + logs);
        Thread.sleep(100);
      }
    }
  }
}
