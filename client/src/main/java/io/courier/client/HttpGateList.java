package io.courier.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * The gates that {@code GET /v1/gates} lists, asked of the nodes' HTTP endpoints in turn until one
 * answers. The server orders the list afresh for each request, weighted by the gates' spare
 * capacity, so taking the first entry is what spreads clients (cluster.md section 7).
 */
final class HttpGateList implements GateSource {
  static final String PATH = "/v1/gates";

  private final HttpClient http;
  private final List<GateAddress> endpoints;
  private final long timeoutMs;

  /**
   * @param timeoutMs how long one endpoint may take to connect, and then to send each part of its
   *     answer, before the next one is asked
   */
  HttpGateList(HttpClient http, List<GateAddress> endpoints, long timeoutMs) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no HTTP endpoint to ask for the gate list");
    }
    this.http = http;
    this.endpoints = List.copyOf(endpoints);
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<List<GateAddress>> gates() {
    return ask(0);
  }

  private Future<List<GateAddress>> ask(int index) {
    GateAddress endpoint = endpoints.get(index);
    Future<List<GateAddress>> listed =
        http.request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setURI(PATH)
                    .setConnectTimeout(timeoutMs)
                    .setIdleTimeout(timeoutMs))
            .compose(
                request ->
                    request
                        .send()
                        .compose(
                            response -> {
                              if (response.statusCode() != 200) {
                                return Future.failedFuture(
                                    endpoint + PATH + " answered " + response.statusCode());
                              }
                              return response.body();
                            }))
            .map(body -> GateAddress.fromGateList(body.toJsonObject()));
    return index + 1 == endpoints.size() ? listed : listed.recover(e -> ask(index + 1));
  }
}
