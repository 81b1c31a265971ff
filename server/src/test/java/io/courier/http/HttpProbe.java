package io.courier.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** Plain GETs against a node's listeners, the response read whole. */
final class HttpProbe {
  private final HttpClient http;

  HttpProbe(Vertx vertx) {
    this.http = vertx.createHttpClient();
  }

  /** A response read whole: the body is taken while the response arrives, never after it ended. */
  record Response(int statusCode, String contentType, Buffer body) {}

  Response get(String host, int port, String path, String token) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .setIdleTimeout(10_000);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    body ->
                                        new Response(
                                            response.statusCode(),
                                            response.getHeader("content-type"),
                                            body))))
        .await();
  }

  Response get(int port, String path) {
    return get("127.0.0.1", port, path, null);
  }
}
