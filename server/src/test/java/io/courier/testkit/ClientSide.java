package io.courier.testkit;

import io.courier.client.CourierClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test needs to drive nodes as clients do: a Vert.x (where the test's nodes are deployed
 * too), a {@link CourierClient} and a {@link Tokens} signer, made before each test and closed after
 * it, nodes included. Register it on an instance field: {@code @RegisterExtension final ClientSide
 * side = new ClientSide();}.
 */
public final class ClientSide implements BeforeEachCallback, AfterEachCallback {
  private Vertx vertx;
  private CourierClient client;
  private Tokens tokens;

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
    client = new CourierClient(vertx);
    tokens = new Tokens(vertx);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    client.close().await();
    vertx.close().await();
  }

  public Vertx vertx() {
    return vertx;
  }

  public CourierClient client() {
    return client;
  }

  public Tokens tokens() {
    return tokens;
  }
}
