package io.courier.cluster;

import io.courier.NodeVerticle;
import io.courier.config.CourierConfig;
import io.courier.testkit.FreePorts;
import io.courier.testkit.MySqlDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One clustered Courier node in the test's JVM: its own clustered Vert.x (Hazelcast on loopback,
 * join wait 0), a {@link NodeVerticle} on free ports, the cluster secret {@link #CLUSTER_SECRET}
 * (so every cluster test runs with sealed internal addresses).
 */
final class ClusterNode {
  static final String ADMIN_TOKEN = "cluster-test-admin-token-of-32-bytes";
  static final String CLUSTER_SECRET = "cluster-test-secret-0123456789abcdef";
  final Vertx vertx;
  final HazelcastClusterManager clusterManager;
  final NodeVerticle node;
  final JsonObject config;
  final PrometheusMeterRegistry registry;

  private ClusterNode(
      Vertx vertx,
      HazelcastClusterManager clusterManager,
      NodeVerticle node,
      JsonObject config,
      PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.node = node;
    this.config = config;
    this.registry = registry;
  }

  /** Hazelcast member ports for a cluster of {@code size} nodes. */
  static List<Integer> memberPorts(int size) {
    return java.util.stream.IntStream.range(0, size).mapToObj(i -> FreePorts.next()).toList();
  }

  /**
   * A cluster of {@code size} nodes named {@code name} and a random suffix, on one MySQL database
   * created afresh: the set-up of every multi-node test that stores messages.
   */
  static List<ClusterNode> startOnMysql(Vertx vertx, String name, String database, int size) {
    return startOnMysqlShards(vertx, name, List.of(database), size);
  }

  /** Starts {@code size} clustered nodes whose store has a shard on each of {@code databases}. */
  static List<ClusterNode> startOnMysqlShards(
      Vertx vertx, String name, List<String> databases, int size) {
    MySqlDatabases.recreate(vertx, databases);
    String clusterName = name + "-" + UUID.randomUUID();
    List<Integer> ports = memberPorts(size);
    JsonArray shards = new JsonArray();
    databases.forEach(database -> shards.add(MySqlDatabases.uri(database)));
    JsonObject store = new JsonObject().put("backend", "mysql").put("mysqlShards", shards);
    List<ClusterNode> nodes = new ArrayList<>();
    for (int port : ports) {
      nodes.add(start(clusterName, port, ports, store));
    }
    return nodes;
  }

  /** Closes every node's Vert.x, and forgets them. */
  static void stopAll(List<ClusterNode> nodes) {
    for (ClusterNode node : nodes) {
      node.vertx.close().await();
    }
    nodes.clear();
  }

  static ClusterNode start(
      String clusterName, int memberPort, List<Integer> memberPorts, JsonObject store) {
    JsonArray members = new JsonArray();
    memberPorts.forEach(port -> members.add("127.0.0.1:" + port));
    JsonObject config =
        new JsonObject()
            .put(
                "cluster",
                new JsonObject()
                    .put("name", clusterName)
                    .put("host", "127.0.0.1")
                    .put("port", memberPort)
                    .put("members", members)
                    .put("joinWaitSeconds", 0)
                    .put("secret", CLUSTER_SECRET))
            .put(
                "gate",
                new JsonObject()
                    .put("port", FreePorts.next())
                    .put("host", "127.0.0.1")
                    .put("instances", 2)
                    .put("drainSeconds", 0))
            .put("http", new JsonObject().put("port", FreePorts.next()).put("host", "127.0.0.1"))
            .put("bridge", new JsonObject().put("port", FreePorts.next()))
            .put(
                "ops",
                new JsonObject().put("adminToken", ADMIN_TOKEN).put("adminPort", FreePorts.next()))
            .put("store", store);
    HazelcastClusterManager clusterManager =
        HazelcastSetup.clusterManager(CourierConfig.from(config));
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
            .withClusterManager(clusterManager)
            .buildClustered()
            .await();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeVerticle node = new NodeVerticle(2, clusterManager, registry);
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(config)).await();
    return new ClusterNode(vertx, clusterManager, node, config, registry);
  }

  int gatePort() {
    return config.getJsonObject("gate").getInteger("port");
  }

  int httpPort() {
    return config.getJsonObject("http").getInteger("port");
  }

  int adminPort() {
    return config.getJsonObject("ops").getInteger("adminPort");
  }

  /**
   * The node crashes: its Hazelcast member vanishes without leaving the cluster properly, and its
   * Vert.x closes without reaching the shared data any more, so it cannot clean up its own presence
   * records.
   */
  void crash() {
    clusterManager.getHazelcastInstance().getLifecycleService().terminate();
    vertx.close();
  }
}
