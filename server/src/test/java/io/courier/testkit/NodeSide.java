package io.courier.testkit;

import io.courier.client.CourierClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded {@link TestNode} for a whole test class, with what its tests need to drive it as
 * clients and businesses do: a Vert.x of the class's own (where the node is deployed), a {@link
 * CourierClient} and a {@link Tokens} signer. The sessions and event-bus consumers a test makes
 * through it are closed after that test, so that no test sees another's; the node lives until the
 * class is done. Register it on a static field: {@code @RegisterExtension static final NodeSide
 * node = new NodeSide();}, or {@code new NodeSide(overrides)} with settings merged over {@link
 * TestNode}'s defaults.
 */
public final class NodeSide implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final JsonObject overrides;
  private final List<TestSession> sessions = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Vertx vertx;
  private TestNode node;
  private Tokens tokens;
  private CourierClient client;

  public NodeSide() {
    this(new JsonObject());
  }

  public NodeSide(JsonObject overrides) {
    this.overrides = overrides;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx, overrides);
    tokens = new Tokens(vertx);
    client = new CourierClient(vertx);
  }

  /**
   * Closes the test's sessions, then unregisters its consumers. A session the server or the test
   * closed already is no failure of the test, so a failed close is ignored.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    List<Future<Void>> closed = new ArrayList<>();
    sessions.forEach(session -> closed.add(session.connection().close().otherwiseEmpty()));
    sessions.clear();
    Future.all(closed).await();
    consumers.forEach(consumer -> consumer.unregister().await());
    consumers.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close().await();
    }
    if (node != null) {
      node.stop();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** The Vert.x the node is deployed in: its event bus is the node's. */
  public Vertx vertx() {
    return vertx;
  }

  public TestNode testNode() {
    return node;
  }

  public Tokens tokens() {
    return tokens;
  }

  public CourierClient client() {
    return client;
  }

  /** A session of {@code (uid, appcode)} over TCP, acknowledging pushes; closed after the test. */
  public TestSession login(String uid, int appcode) {
    return login(uid, appcode, true);
  }

  /**
   * A session of {@code (uid, appcode)} over TCP, acknowledging pushes only when {@code autoAck};
   * closed after the test.
   */
  public TestSession login(String uid, int appcode, boolean autoAck) {
    return remember(TestSession.login(client, node, tokens, uid, appcode, autoAck));
  }

  /** A session of {@code (uid, appcode)} over the WebSocket gate; closed after the test. */
  public TestSession loginWebSocket(String uid, int appcode) {
    return remember(TestSession.loginWebSocket(client, node, tokens, uid, appcode));
  }

  /**
   * A consumer of {@code address} on the node's event bus, registered when this returns and
   * unregistered after the test.
   */
  public <T> MessageConsumer<T> consumer(String address, Handler<Message<T>> handler) {
    MessageConsumer<T> consumer = vertx.eventBus().consumer(address, handler);
    consumer.completion().await();
    consumers.add(consumer);
    return consumer;
  }

  private TestSession remember(TestSession session) {
    sessions.add(session);
    return session;
  }
}
