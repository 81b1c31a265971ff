package io.courier.cluster;

import io.courier.client.CourierClient;
import io.courier.testkit.LocalServices;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of nodes in this JVM on one fresh MySQL database ({@link ClusterNode#startOnMysql}),
 * with what a test needs to drive it as clients do: a Vert.x of the test's own, a {@link
 * CourierClient} and a {@link Tokens} signer. Registered on a static field it lives for the whole
 * class, on an instance field for each test: {@code @RegisterExtension static final ClusterSide
 * cluster = new ClusterSide("courier-test", "courier_cluster_test", 3);}. Skipped without MySQL.
 */
final class ClusterSide
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String name;
  private final String database;
  private final int size;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private boolean perClass;
  private Vertx vertx;
  private CourierClient client;
  private Tokens tokens;

  ClusterSide(String name, String database, int size) {
    this.name = name;
    this.database = database;
    this.size = size;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start() {
    LocalServices.requireMysql();
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    tokens = new Tokens(vertx);
    nodes.addAll(ClusterNode.startOnMysql(vertx, name, database, size));
  }

  private void stop() {
    if (client != null) {
      client.close().await();
    }
    ClusterNode.stopAll(nodes);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** The test's own Vert.x: not one of the nodes'. */
  Vertx vertx() {
    return vertx;
  }

  CourierClient client() {
    return client;
  }

  Tokens tokens() {
    return tokens;
  }

  /** The nodes in start order; a test may remove a node it stopped. */
  List<ClusterNode> nodes() {
    return nodes;
  }
}
