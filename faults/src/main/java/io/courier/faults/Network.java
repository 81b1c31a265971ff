package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's network: a Linux bridge on the host with address {@link Topology#HOST_ADDRESS}, and
 * per node a network namespace joined to it by a veth pair, so that each node has an address of its
 * own and the links between nodes can be cut without touching the host's loopback.
 *
 * <p>Cuts are made two ways. {@link #isolate} takes the node's link down: the node loses
 * everything, peers, clients, Redis and MariaDB. {@link #split} and {@link #lossy} drop only
 * traffic between nodes, with iptables rules inside the node's namespace (they go with it), so
 * clients and stores still reach every side.
 */
final class Network {
  private final List<NodeNet> nodes;

  Network(List<NodeNet> nodes) {
    this.nodes = nodes;
  }

  /** Removes what a previous run left (crashed or killed), then builds the network. */
  void create() {
    removeLeftovers();
    Shell.run("ip", "link", "add", Topology.BRIDGE, "type", "bridge");
    Shell.run("ip", "addr", "add", Topology.HOST_ADDRESS + "/24", "dev", Topology.BRIDGE);
    Shell.run("ip", "link", "set", Topology.BRIDGE, "up");
    for (NodeNet node : nodes) {
      String peer = node.link() + "p";
      Shell.run("ip", "netns", "add", node.namespace());
      Shell.run("ip", "link", "add", node.link(), "type", "veth", "peer", "name", peer);
      Shell.run("ip", "link", "set", peer, "netns", node.namespace());
      Shell.run("ip", "-n", node.namespace(), "link", "set", peer, "name", "eth0");
      Shell.run("ip", "-n", node.namespace(), "addr", "add", node.address() + "/24", "dev", "eth0");
      Shell.run("ip", "-n", node.namespace(), "link", "set", "eth0", "up");
      Shell.run("ip", "-n", node.namespace(), "link", "set", "lo", "up");
      Shell.run("ip", "link", "set", node.link(), "master", Topology.BRIDGE);
      Shell.run("ip", "link", "set", node.link(), "up");
    }
  }

  /**
   * Removes the suite's namespaces and bridge, first killing whatever still runs in those
   * namespaces (only a previous run's nodes can: no one else uses them).
   */
  static void removeLeftovers() {
    for (String line : Shell.tryRun("ip", "netns", "list").output().split("\n")) {
      String namespace = line.split(" ")[0].strip();
      if (!namespace.startsWith(Topology.PREFIX + "-")) {
        continue;
      }
      for (String pid : Shell.tryRun("ip", "netns", "pids", namespace).output().split("\\s+")) {
        if (!pid.isBlank()) {
          Shell.signal(Long.parseLong(pid.strip()), "KILL");
        }
      }
      Shell.tryRun("ip", "netns", "del", namespace);
    }
    for (String line : Shell.tryRun("ip", "-o", "link", "show").output().split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String link = parts[1].split("@")[0];
        if (link.startsWith(Topology.PREFIX)) {
          Shell.tryRun("ip", "link", "del", link);
        }
      }
    }
  }

  /** Cuts every link of {@code node}: its veth goes down on the host side. */
  void isolate(NodeNet node) {
    Shell.run("ip", "link", "set", node.link(), "down");
  }

  /** Cuts {@code node} from the other nodes only: a 2/1 split in a cluster of three. */
  void split(NodeNet node) {
    for (NodeNet other : nodes) {
      if (other != node) {
        iptables(node, "-A", "INPUT", "-s", other.address(), "-j", "DROP");
        iptables(node, "-A", "OUTPUT", "-d", other.address(), "-j", "DROP");
      }
    }
  }

  /**
   * Drops {@code percent} of the packets between nodes, in both directions (each node drops that
   * share of what it receives from the others).
   */
  void lossy(int percent) {
    String probability = String.format(java.util.Locale.ROOT, "%.2f", percent / 100.0);
    for (NodeNet node : nodes) {
      for (NodeNet other : nodes) {
        if (other != node) {
          iptables(
              node,
              "-A",
              "INPUT",
              "-s",
              other.address(),
              "-m",
              "statistic",
              "--mode",
              "random",
              "--probability",
              probability,
              "-j",
              "DROP");
        }
      }
    }
  }

  /** Undoes every cut: all links up, every namespace's rules flushed. */
  void heal() {
    for (NodeNet node : nodes) {
      Shell.tryRun("ip", "link", "set", node.link(), "up");
      Shell.tryRun("ip", "netns", "exec", node.namespace(), "iptables", "-F");
    }
  }

  private static void iptables(NodeNet node, String... rule) {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", node.namespace(), "iptables"));
    command.addAll(List.of(rule));
    Shell.run(command.toArray(String[]::new));
  }
}
