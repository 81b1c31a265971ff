package io.courier.push;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The OAuth access token of FCM requests: an RS256 assertion of the service account, exchanged at
 * its {@code token_uri} (the JWT bearer grant, RFC 7523), kept until {@value #MARGIN_MS} ms before
 * it expires. Requests that need a token while one is being fetched share that fetch, which gives
 * up after twice the request timeout. Confined to the push role's context.
 */
final class FcmAccessToken {
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /** A token is replaced this long before its expiry, so none expires in flight. */
  static final long MARGIN_MS = 60_000;

  /** The lifetime of an assertion; Google accepts at most an hour. */
  private static final long ASSERTION_SECONDS = 3600;

  private final HttpClient client;
  private final ServiceAccount account;
  private final LongSupplier clock;
  private final long timeoutMs;
  private String token;
  private long expiresAt;
  private Future<String> fetching;

  FcmAccessToken(HttpClient client, ServiceAccount account, LongSupplier clock, long timeoutMs) {
    this.client = client;
    this.account = account;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
  }

  /** The access token to send now, fetched when there is none or it is about to expire. */
  Future<String> current() {
    if (token != null && clock.getAsLong() < expiresAt - MARGIN_MS) {
      return Future.succeededFuture(token);
    }
    if (fetching == null) {
      // every request waits for this one fetch: it must end, whatever the HTTP client does
      fetching =
          fetch().timeout(2 * timeoutMs, TimeUnit.MILLISECONDS).onComplete(done -> fetching = null);
    }
    return fetching;
  }

  /** FCM refused the token (401): the next request fetches a new one. */
  void refused() {
    token = null;
  }

  private Future<String> fetch() {
    long now = clock.getAsLong();
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
    if (account.privateKeyId() != null) {
      header.put("kid", account.privateKeyId());
    }
    String assertion =
        Jwt.sign(
            header,
            new JsonObject()
                .put("iss", account.clientEmail())
                .put("scope", SCOPE)
                .put("aud", account.tokenUri())
                .put("iat", now / 1000)
                .put("exp", now / 1000 + ASSERTION_SECONDS),
            account.privateKey(),
            Jwt.RS256);
    String form =
        "grant_type="
            + URLEncoder.encode(GRANT, StandardCharsets.UTF_8)
            + "&assertion="
            + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(account.tokenUri())
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs))
        .compose(request -> request.send(Buffer.buffer(form)))
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body -> {
                          if (response.statusCode() != 200) {
                            return Future.failedFuture(
                                "token endpoint answered HTTP " + response.statusCode());
                          }
                          JsonObject json = body.toJsonObject();
                          String accessToken = json.getString("access_token");
                          if (accessToken == null) {
                            return Future.failedFuture("token endpoint gave no access_token");
                          }
                          token = accessToken;
                          expiresAt = now + json.getLong("expires_in", 3600L) * 1000;
                          return Future.succeededFuture(accessToken);
                        }));
  }
}
