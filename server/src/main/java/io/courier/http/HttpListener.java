package io.courier.http;

import io.courier.tls.CertificateReloader;
import io.courier.tls.ServerTls;
import io.courier.tls.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * One HTTP listener of a verticle (the public port, the admin listener): plain, or with {@code tls}
 * speaking TLS, its certificate reloaded as its files change ({@link CertificateReloader}).
 */
final class HttpListener {
  private CertificateReloader tls;
  private CertificateReloader.Target reloadTarget;

  /**
   * Listens on {@code host:port} with {@code handler}; {@code tls} null for plain HTTP, else the
   * files are looked at every {@code reloadInterval} and reloads counted in {@code registry}.
   */
  Future<HttpServer> listen(
      Vertx vertx,
      Handler<HttpServerRequest> handler,
      int port,
      String host,
      TlsSettings settings,
      Duration reloadInterval,
      MeterRegistry registry) {
    return listen(
        vertx, new HttpServerOptions(), handler, port, host, settings, reloadInterval, registry);
  }

  /**
   * As {@link #listen(Vertx, Handler, int, String, TlsSettings, Duration, MeterRegistry)}, from
   * {@code options}.
   */
  Future<HttpServer> listen(
      Vertx vertx,
      HttpServerOptions options,
      Handler<HttpServerRequest> handler,
      int port,
      String host,
      TlsSettings settings,
      Duration reloadInterval,
      MeterRegistry registry) {
    if (settings == null) {
      return vertx.createHttpServer(options).requestHandler(handler).listen(port, host);
    }
    return CertificateReloader.load(vertx, settings, reloadInterval, registry)
        .compose(
            loaded -> {
              tls = loaded;
              HttpServer server = vertx.createHttpServer(ServerTls.enable(options, tls.current()));
              reloadTarget = server::updateSSLOptions;
              return server
                  .requestHandler(handler)
                  .listen(port, host)
                  .onSuccess(listening -> tls.attach(vertx, reloadTarget));
            });
  }

  /** Stops following the certificate files; Vert.x closes the server with its verticle. */
  void stop(Vertx vertx) {
    if (reloadTarget != null) {
      tls.detach(vertx, reloadTarget);
    }
  }
}
