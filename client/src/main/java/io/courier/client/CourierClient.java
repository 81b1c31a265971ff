package io.courier.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Java client of protocol v1: opens {@link CourierConnection}s to a gate, and, as an opt-in,
 * {@link ReconnectingSession}s that reconnect by themselves. It owns its {@link NetClient} (and the
 * {@link HttpClient} of {@link #gateList}); keep the client referenced while its connections are
 * used and close it when done (an unreferenced NetClient is closed by the garbage collector
 * together with its connections).
 *
 * <p>With a {@link ClientTls} other than plain, it speaks TLS to the gate and to the HTTP endpoints
 * of {@link #gateList}, checking the node's certificate against the CA file or the JDK's trust
 * store.
 */
public final class CourierClient {
  /** Default time to wait for a response before failing the request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** Largest WebSocket message the client accepts: as large as a frame it decodes. */
  private static final int WEBSOCKET_MAX_MESSAGE = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final NetClient netClient;
  private final String localAddress;
  private final boolean reuseAddress;
  private final Duration requestTimeout;
  private final ClientTls tls;
  private final Set<ReconnectingSession> sessions = ConcurrentHashMap.newKeySet();
  private HttpClient httpClient;
  private WebSocketClient webSocketClient;

  public CourierClient(Vertx vertx) {
    this(vertx, ClientTls.plain());
  }

  /** A client of TLS listeners, or plain ones with {@link ClientTls#plain()}. */
  public CourierClient(Vertx vertx, ClientTls tls) {
    this(vertx, new NetClientOptions(), DEFAULT_REQUEST_TIMEOUT, tls);
  }

  /** A plain-TCP client with its own socket options (e.g. a local address) and request timeout. */
  public CourierClient(Vertx vertx, NetClientOptions options, Duration requestTimeout) {
    this(vertx, options, requestTimeout, ClientTls.plain());
  }

  /** A client with its own socket options, request timeout and TLS. */
  public CourierClient(
      Vertx vertx, NetClientOptions options, Duration requestTimeout, ClientTls tls) {
    this.vertx = vertx;
    this.tls = tls;
    this.netClient =
        vertx.createNetClient(tls.applyTo(new NetClientOptions(options).setTcpNoDelay(true)));
    this.requestTimeout = requestTimeout;
    this.localAddress = options.getLocalAddress();
    this.reuseAddress = options.isReuseAddress();
  }

  /** Connects to a gate; the connection is not logged in yet. */
  public Future<CourierConnection> connect(int port, String host) {
    return netClient
        .connect(port, host)
        .map(socket -> new CourierConnection(vertx, ConnectionLink.of(socket), requestTimeout));
  }

  /**
   * Connects to the WebSocket gate of a node ({@code ws://host:port/ws}, its plain HTTP port), from
   * the client's local address if one was set; the connection is not logged in yet.
   */
  public Future<CourierConnection> connectWebSocket(int port, String host) {
    WebSocketClient client;
    synchronized (this) {
      if (webSocketClient == null) {
        webSocketClient =
            vertx.createWebSocketClient(
                new WebSocketClientOptions()
                    .setLocalAddress(localAddress)
                    .setReuseAddress(reuseAddress)
                    .setTcpNoDelay(true)
                    .setMaxMessageSize(WEBSOCKET_MAX_MESSAGE)
                    .setMaxFrameSize(WEBSOCKET_MAX_MESSAGE)
                    .setMaxConnections(Integer.MAX_VALUE));
      }
      client = webSocketClient;
    }
    return client
        .connect(port, host, "/ws")
        .map(socket -> new CourierConnection(vertx, ConnectionLink.of(socket), requestTimeout));
  }

  /**
   * A session of {@code (uid, appcode)} that logs in on a gate of {@code gates} and reconnects,
   * waiting as {@code backoff} says, whenever its connection ends; it asks {@code token} for a
   * token before every LOGIN. Set its handlers, then {@link ReconnectingSession#start()} it.
   */
  public ReconnectingSession reconnecting(
      GateSource gates, String uid, int appcode, Supplier<String> token, ReconnectBackoff backoff) {
    ReconnectingSession session =
        new ReconnectingSession(this, vertx, gates, uid, appcode, token, backoff);
    sessions.add(session);
    return session;
  }

  /**
   * The gates that {@code GET /v1/gates} lists, asked of {@code httpEndpoints} (the nodes' HTTP
   * ports) in turn until one answers within the request timeout.
   */
  public synchronized GateSource gateList(List<GateAddress> httpEndpoints) {
    if (httpClient == null) {
      httpClient =
          vertx.createHttpClient(new HttpClientOptions(tls.applyTo(new NetClientOptions())));
    }
    return new HttpGateList(httpClient, httpEndpoints, requestTimeout.toMillis());
  }

  /** Closes the client: its reconnecting sessions stop, and every connection it opened closes. */
  public Future<Void> close() {
    List<Future<?>> closing = new ArrayList<>();
    for (ReconnectingSession session : List.copyOf(sessions)) {
      closing.add(session.close());
    }
    closing.add(netClient.close());
    synchronized (this) {
      if (webSocketClient != null) {
        closing.add(webSocketClient.close());
      }
      if (httpClient != null) {
        closing.add(httpClient.close());
      }
    }
    return Future.join(closing).mapEmpty();
  }

  void forget(ReconnectingSession session) {
    sessions.remove(session);
  }
}
