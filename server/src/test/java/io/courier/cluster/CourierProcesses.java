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
    String members =
        String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    for (int i = 0; i < count; i++) {
      int gatePort = FreePorts.next();
      int bridgePort = FreePorts.next();
      Map<String, String> env = new HashMap<>();
      env.put("COURIER_CLUSTER_NAME", "courier-it-" + run);
      env.put("COURIER_CLUSTER_HOST", "127.0.0.1");
      env.put("COURIER_CLUSTER_PORT", Integer.toString(memberPorts.get(i)));
      env.put("COURIER_CLUSTER_MEMBERS", members);
      env.put("COURIER_CLUSTER_JOIN_WAIT_SECONDS", "0");
      env.put("COURIER_NODE_ID", Integer.toString(i));
      env.put("COURIER_GATE_HOST", "127.0.0.1");
      env.put("COURIER_GATE_PORT", Integer.toString(gatePort));
      env.put("COURIER_HTTP_PORT", Integer.toString(FreePorts.next()));
      env.put("COURIER_BRIDGE_PORT", Integer.toString(bridgePort));
      env.put("COURIER_PRESENCE", "redis");
      env.put("COURIER_REDIS_URL", LocalServices.REDIS_URL);
      env.put("COURIER_STORE", "mysql");
      env.put(
          "COURIER_MYSQL_SHARDS",
          String.join(",", shards.stream().map(MySqlDatabases::uri).toList()));
      env.put("COURIER_DRAIN_SECONDS", "0");
      cluster.nodes.add(new Node(cluster.launch(i, env), gatePort, bridgePort));
    }
    for (Node node : cluster.nodes) {
      cluster.awaitListening(node.gatePort());
      cluster.awaitListening(node.bridgePort());
    }
    return cluster;
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

  @Override
  public void close() {
    nodes.forEach(node -> node.process().destroyForcibly());
  }

  private Process launch(int index, Map<String, String> env) throws IOException {
    String jar = System.getProperty("courier.jar", "target/courier.jar");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder =
        new ProcessBuilder(java, "-jar", jar, "-cluster")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("node" + index + ".log").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
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
