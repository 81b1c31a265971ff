package io.courier.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real backend (Redis, MySQL) that a test can cut — every connection
 * closed and new ones refused, as when the backend goes down — and restore, on the same port.
 */
public final class CuttableProxy {
  private final Vertx vertx;
  private final int port;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;

  private CuttableProxy(Vertx vertx, int port, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** In front of the test Redis ({@link LocalServices#requireRedis()} first). */
  public static CuttableProxy inFrontOfRedis(Vertx vertx) {
    return start(vertx, LocalServices.redisHost(), LocalServices.redisPort());
  }

  /** In front of the test MySQL/MariaDB ({@link LocalServices#requireMysql()} first). */
  public static CuttableProxy inFrontOfMysql(Vertx vertx) {
    MySqlServer mysql = LocalServices.mysql();
    return start(vertx, mysql.host(), mysql.port());
  }

  /** Starts forwarding a free port of 127.0.0.1 to {@code targetHost:targetPort}. */
  public static CuttableProxy start(Vertx vertx, String targetHost, int targetPort) {
    CuttableProxy proxy = new CuttableProxy(vertx, FreePorts.next(), targetHost, targetPort);
    proxy.restore();
    return proxy;
  }

  public int port() {
    return port;
  }

  /** The backend is down: connections close, new ones are refused. */
  public void cut() {
    server.close().await();
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  /** The backend is back. */
  public void restore() {
    server =
        vertx
            .createNetServer()
            .connectHandler(
                front -> {
                  front.pause();
                  sockets.add(front);
                  client
                      .connect(targetPort, targetHost)
                      .onComplete(
                          connected -> {
                            if (connected.failed()) {
                              front.close();
                              return;
                            }
                            NetSocket back = connected.result();
                            sockets.add(back);
                            front.handler(back::write);
                            back.handler(front::write);
                            front.closeHandler(v -> back.close());
                            back.closeHandler(v -> front.close());
                            front.resume();
                          });
                });
    server.listen(port, "127.0.0.1").await();
  }
}
