package io.courier.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;

/**
 * The Java client of protocol v1: opens {@link CourierConnection}s to a gate. It owns its {@link
 * NetClient}; keep the client referenced while its connections are used and close it when done (an
 * unreferenced NetClient is closed by the garbage collector together with its connections).
 */
public final class CourierClient {
  /** Default time to wait for a response before failing the request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final NetClient netClient;
  private final Duration requestTimeout;

  public CourierClient(Vertx vertx) {
    this(vertx, new NetClientOptions(), DEFAULT_REQUEST_TIMEOUT);
  }

  /** A client with its own socket options (e.g. a local address) and request timeout. */
  public CourierClient(Vertx vertx, NetClientOptions options, Duration requestTimeout) {
    this.vertx = vertx;
    this.netClient = vertx.createNetClient(new NetClientOptions(options).setTcpNoDelay(true));
    this.requestTimeout = requestTimeout;
  }

  /** Connects to a gate; the connection is not logged in yet. */
  public Future<CourierConnection> connect(int port, String host) {
    return netClient
        .connect(port, host)
        .map(socket -> new CourierConnection(vertx, socket, requestTimeout));
  }

  /** Closes the client and every connection it opened. */
  public Future<Void> close() {
    return netClient.close();
  }
}
