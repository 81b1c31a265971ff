package io.courier.push;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Sends notifications to APNs (Apple's "Sending notification requests to APNs"): {@code POST
 * /3/device/<token>} over HTTP/2 with the provider token as {@code authorization: bearer}, {@code
 * apns-push-type: alert}, {@code apns-topic} (the registration's topic or {@code push.apns.topic}),
 * {@code apns-priority: 10}, {@code apns-expiration} and {@code apns-collapse-id}. The payload
 * shows the title (and a preview when allowed) and carries {@code msgid}, {@code msgtype} and
 * {@code kind} for the app.
 *
 * <p>Answers: 200 sent; 410 ({@code Unregistered}, {@code ExpiredToken}) and 400 {@code
 * BadDeviceToken} or {@code DeviceTokenNotForTopic}: the token is dead; 403 {@code
 * ExpiredProviderToken} or {@code InvalidProviderToken}: a new provider token, and sent again; 429
 * and 5xx: sent again; anything else is a failure.
 */
final class ApnsSender implements NotificationSender {
  private static final Set<String> DEAD_ON_400 = Set.of("BadDeviceToken", "DeviceTokenNotForTopic");
  private static final Set<String> TOKEN_REFUSED =
      Set.of("ExpiredProviderToken", "InvalidProviderToken");

  private final HttpClient client;
  private final String baseUrl;
  private final ApnsToken providerToken;
  private final String defaultTopic;
  private final long expirationSeconds;
  private final long timeoutMs;
  private final LongSupplier clock;

  ApnsSender(
      HttpClient client,
      String baseUrl,
      ApnsToken providerToken,
      String defaultTopic,
      long expirationSeconds,
      long timeoutMs,
      LongSupplier clock) {
    this.client = client;
    this.baseUrl = baseUrl;
    this.providerToken = providerToken;
    this.defaultTopic = defaultTopic;
    this.expirationSeconds = expirationSeconds;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
  }

  @Override
  public Future<Answer> send(Notification notification) {
    Device device = notification.device();
    String topic = device.topic() != null ? device.topic() : defaultTopic;
    if (topic == null) {
      return Future.succeededFuture(
          Answer.failed(0, "no topic: the registration gave none and push.apns.topic is unset"));
    }
    long now = clock.getAsLong();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(baseUrl + "/3/device/" + PathSegment.encode(device.token()))
            .putHeader("authorization", "bearer " + providerToken.current())
            .putHeader("apns-push-type", "alert")
            .putHeader("apns-topic", topic)
            .putHeader("apns-priority", "10")
            .putHeader(
                "apns-expiration",
                expirationSeconds == 0 ? "0" : Long.toString(now / 1000 + expirationSeconds))
            .putHeader("apns-collapse-id", notification.collapseId())
            .putHeader("content-type", "application/json")
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs);
    Buffer payload = payload(notification).toBuffer();
    return client
        .request(options)
        .compose(request -> request.send(payload))
        .compose(response -> response.body().map(body -> answer(response, body)))
        .otherwise(failure -> Answer.retry(0, String.valueOf(failure.getMessage()), 0));
  }

  /** The JSON payload: {@code aps.alert} for the phone, the message's ids for the app. */
  static JsonObject payload(Notification notification) {
    JsonObject alert = new JsonObject().put("title", notification.title());
    if (notification.preview() != null) {
      alert.put("body", notification.preview());
    }
    return notification.withGroup(
        new JsonObject()
            .put("aps", new JsonObject().put("alert", alert).put("sound", "default"))
            .put("msgid", Long.toString(notification.message().msgid()))
            .put("msgtype", notification.message().msgtype())
            .put("kind", notification.message().kind().wire()));
  }

  private Answer answer(HttpClientResponse response, Buffer body) {
    int status = response.statusCode();
    if (status == 200) {
      return Answer.sent(status);
    }
    String reason = reason(body);
    if (status == 410 || (status == 400 && DEAD_ON_400.contains(reason))) {
      return Answer.dead(status, reason);
    }
    if (status == 403 && TOKEN_REFUSED.contains(reason)) {
      providerToken.refused();
      return Answer.retry(status, reason, 0);
    }
    if (status == 429 || status >= 500) {
      return Answer.retry(status, reason, Answer.retryAfterMs(response.getHeader("retry-after")));
    }
    return Answer.failed(status, reason);
  }

  /** The {@code reason} of an APNs error body {@code {"reason": "…"}}, or null. */
  private static String reason(Buffer body) {
    try {
      return body.length() == 0 ? null : body.toJsonObject().getString("reason");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
