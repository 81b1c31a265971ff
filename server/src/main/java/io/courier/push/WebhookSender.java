package io.courier.push;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends notifications to the business's webhook, which relays them to a vendor channel: a {@code
 * POST} of {@code {uid, appcode, device, token, topic?, msgid, msgtype, kind, title, preview?}}
 * signed with {@code X-Courier-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">} under
 * {@code push.webhook.secret}, the timestamp (seconds) in {@code X-Courier-Timestamp} so that the
 * receiver can refuse replays (docs/push.md).
 *
 * <p>Answers: 2xx sent; 410 the token is dead; 429 and 5xx sent again (after {@code Retry-After} if
 * given); anything else is a failure.
 */
final class WebhookSender implements NotificationSender {
  static final String SIGNATURE = "X-Courier-Signature";
  static final String TIMESTAMP = "X-Courier-Timestamp";

  private final HttpClient client;
  private final String url;
  private final SecretKeySpec secret;
  private final long timeoutMs;
  private final LongSupplier clock;

  WebhookSender(HttpClient client, String url, String secret, long timeoutMs, LongSupplier clock) {
    this.client = client;
    this.url = url;
    this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.timeoutMs = timeoutMs;
    this.clock = clock;
  }

  @Override
  public Future<Answer> send(Notification notification) {
    Buffer body = payload(notification).toBuffer();
    String timestamp = Long.toString(clock.getAsLong() / 1000);
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("content-type", "application/json")
                .putHeader(TIMESTAMP, timestamp)
                .putHeader(SIGNATURE, "sha256=" + sign(timestamp, body))
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> answer(response)))
        .otherwise(failure -> Answer.retry(0, String.valueOf(failure.getMessage()), 0));
  }

  static JsonObject payload(Notification notification) {
    Device device = notification.device();
    JsonObject json =
        new JsonObject()
            .put("uid", device.uid())
            .put("appcode", device.appcode())
            .put("device", device.device())
            .put("token", device.token());
    if (device.topic() != null) {
      json.put("topic", device.topic());
    }
    json.put("msgid", Long.toString(notification.message().msgid()))
        .put("msgtype", notification.message().msgtype())
        .put("kind", notification.message().kind().wire())
        .put("title", notification.title());
    if (notification.preview() != null) {
      json.put("preview", notification.preview());
    }
    return notification.withGroup(json);
  }

  /** The hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
  String sign(String timestamp, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static Answer answer(HttpClientResponse response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Answer.sent(status);
    }
    if (status == 410) {
      return Answer.dead(status, response.statusMessage());
    }
    if (status == 429 || status >= 500) {
      return Answer.retry(
          status, response.statusMessage(), Answer.retryAfterMs(response.getHeader("retry-after")));
    }
    return Answer.failed(status, response.statusMessage());
  }
}
