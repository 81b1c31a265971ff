package io.courier.push;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The HTTP clients of the providers, one per provider so that each has its own connection pool:
 * HTTP/2 over TLS for APNs and FCM, HTTP/1.1 with keep-alive for the webhook. With {@code caFile}
 * the servers' certificates must chain to its authorities instead of the JVM's. Their wait queues
 * are not bounded here: a {@link Lane} never has more than its concurrency in flight.
 */
final class ProviderClients {
  /** HTTP/2 streams per provider connection before another connection is opened. */
  static final int STREAMS_PER_CONNECTION = 100;

  private ProviderClients() {}

  /** APNs or FCM: HTTP/2 (ALPN), one connection per {@value #STREAMS_PER_CONNECTION} streams. */
  static HttpClient http2(Vertx vertx, int concurrency, String caFile, long connectTimeoutMs) {
    HttpClientOptions options =
        trusted(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setSsl(true)
                .setUseAlpn(true)
                .setConnectTimeout((int) connectTimeoutMs),
            caFile);
    return vertx.createHttpClient(
        options,
        new PoolOptions()
            .setHttp2MaxSize(
                Math.max(1, (concurrency + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION)));
  }

  /** The webhook: HTTP/1.1 with keep-alive, a connection per concurrent request. */
  static HttpClient http1(Vertx vertx, int concurrency, String caFile, long connectTimeoutMs) {
    HttpClientOptions options =
        trusted(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) connectTimeoutMs),
            caFile);
    return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(concurrency));
  }

  private static HttpClientOptions trusted(HttpClientOptions options, String caFile) {
    return caFile == null
        ? options
        : options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
  }
}
