package io.courier.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** Requests to a node's listeners, each response read whole. */
public final class HttpProbe {
  private final HttpClient http;

  public HttpProbe(Vertx vertx) {
    this.http = vertx.createHttpClient();
  }

  /** A response read whole: the body is taken while the response arrives, never after it ended. */
  public record Response(int statusCode, String contentType, Buffer body) {}

  /** The status and JSON body of an API's answer; an empty body reads as an empty object. */
  public record Answer(int status, JsonObject body) {}

  public Response get(String host, int port, String path, String token) {
    return send(HttpMethod.GET, host, port, path, token, null);
  }

  public Response get(int port, String path) {
    return get("127.0.0.1", port, path, null);
  }

  /**
   * {@code method path} on 127.0.0.1, with a bearer {@code token} and a JSON {@code body} when they
   * are not null.
   */
  public Answer call(HttpMethod method, int port, String path, String token, JsonObject body) {
    Response response =
        send(method, "127.0.0.1", port, path, token, body == null ? null : body.toBuffer());
    return new Answer(
        response.statusCode(),
        response.body().length() == 0 ? new JsonObject() : response.body().toJsonObject());
  }

  private Response send(
      HttpMethod method, String host, int port, String path, String token, Buffer body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
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
                (body == null ? request.send() : request.send(body))
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    bytes ->
                                        new Response(
                                            response.statusCode(),
                                            response.getHeader("content-type"),
                                            bytes))))
        .await();
  }
}
