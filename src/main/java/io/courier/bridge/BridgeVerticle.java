package io.courier.bridge;

import io.courier.config.CourierConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The business bridge: Vert.x's TCP event-bus bridge on {@code bridge.host:bridge.port}, limited to the
 * business API ({@link BridgePolicy}) and guarded against the flaws of its 5.0.7 implementation (an
 * unbounded frame length, a wedged connection on an unknown {@code type} or a mistyped field, writes that
 * ignore {@code writeQueueFull}), with an optional shared secret.
 *
 * <p>The real {@link TcpEventBusBridge} listens on a Unix domain socket in a fresh directory under
 * {@code java.io.tmpdir}; the public port belongs to a guard that opens one internal connection per business
 * connection and passes on only frames the bridge handles safely ({@link GuardedConnection}).
 *
 * @implNote Alternatives rejected: (1) the bridge alone on the public port: none of its flaws can be fixed
 * from outside, since its parser, connection handler and server are private. (2) A bridge of our own: no
 * second hop, but it would re-implement the reply bookkeeping and header mapping business clients rely on,
 * and drift from the standard. (3) The internal bridge on 127.0.0.1: any local process could connect to it
 * and bypass the guard (no length limit, no secret); the domain socket's directory is created owner-only
 * ({@code rwx------}, the JDK's default for temporary directories on POSIX), so only this user reaches it.
 * Domain sockets work with the NIO transport (JDK 16+) and with native epoll.
 *
 * <p>One instance: the bridge's consumers and the guard run on this verticle's event loop.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  private static final String SOCKET_FILE = "bridge.sock";
  /** Time to open a connection to the internal bridge: 5 000 ms (it is local; failing means it is gone). */
  private static final int INTERNAL_CONNECT_TIMEOUT_MS = 5_000;

  private final CourierConfig config;
  private final AtomicInteger connections = new AtomicInteger();
  private String directory;
  private TcpEventBusBridge bridge;
  private NetClient internalClient;
  private NetServer server;

  public BridgeVerticle(CourierConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    FrameCheck check = new FrameCheck(config.bridgeSecret());
    GuardedConnection.Limits limits = GuardedConnection.Limits.of(config);
    return vertx.fileSystem().createTempDirectory("courier-bridge-")
      .compose(dir -> {
        directory = dir;
        bridge = TcpEventBusBridge.create(vertx, BridgePolicy.bridgeOptions(), new NetServerOptions(), null);
        return bridge.listen(internalAddress());
      })
      .compose(listening -> {
        internalClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(INTERNAL_CONNECT_TIMEOUT_MS));
        server = vertx.createNetServer(new NetServerOptions()
          .setTcpNoDelay(true)
          .setTcpKeepAlive(true)
          .setReuseAddress(true));
        server.connectHandler(socket -> {
          connections.incrementAndGet();
          new GuardedConnection(socket, check, limits, connections::decrementAndGet).open(internalClient, internalAddress());
        });
        return server.listen(config.bridgePort(), config.bridgeHost());
      })
      .onSuccess(listening -> LOG.info("business bridge on {}:{} (internal {}, secret {})", config.bridgeHost(),
        server.actualPort(), internalAddress().path(), config.bridgeSecret() == null ? "off" : "on"))
      .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /** Closes the public port, the guard's connections, the bridge, and deletes the socket and its directory. */
  @Override
  public Future<?> stop() {
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    Future<Void> clientClosed = internalClient == null ? Future.succeededFuture() : internalClient.close();
    Future<Void> bridgeClosed = bridge == null ? Future.succeededFuture() : bridge.close();
    return Future.join(serverClosed, clientClosed, bridgeClosed)
      .transform(closed -> {
        Future<Void> deleted = directory == null ? Future.succeededFuture() : vertx.fileSystem().deleteRecursive(directory);
        directory = null;
        return deleted.transform(d -> closed.succeeded() ? Future.succeededFuture() : Future.failedFuture(closed.cause()));
      });
  }

  /** Business connections whose socket is open now. */
  int connections() {
    return connections.get();
  }

  /** Where the internal bridge listens; package-private for tests. */
  SocketAddress internalAddress() {
    return directory == null ? null : SocketAddress.domainSocketAddress(directory + File.separator + SOCKET_FILE);
  }
}
