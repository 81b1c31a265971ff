package io.courier.push;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends notifications through FCM's HTTP v1 API: {@code POST
 * /v1/projects/<project_id>/messages:send} with the service account's access token, a {@code
 * message} with the device's {@code token}, a {@code notification} (title, and a preview when
 * allowed), {@code data} (msgid, msgtype, kind: strings, as FCM wants) and Android's {@code
 * collapse_key}, {@code ttl} and high priority.
 *
 * <p>Answers (FCM's {@code ErrorCode}, in the error's {@code FcmError} detail): 200 sent; {@code
 * UNREGISTERED} (404) and {@code SENDER_ID_MISMATCH} (403): the token is dead; {@code
 * INVALID_ARGUMENT} (400) whose {@code BadRequest} detail or message names the token: dead too; 401
 * {@code UNAUTHENTICATED}: a new access token, and sent again; 429 ({@code QUOTA_EXCEEDED}, with
 * its {@code Retry-After}) and 5xx ({@code INTERNAL}, {@code UNAVAILABLE}): sent again; anything
 * else is a failure.
 *
 * @implNote Another {@code INVALID_ARGUMENT} keeps the registration: the payload is Courier's own,
 *     so it most likely concerns the token, but removing every registration of a platform over a
 *     payload bug would cost far more than keeping a dead one.
 */
final class FcmSender implements NotificationSender {
  private final HttpClient client;
  private final String sendUrl;
  private final FcmAccessToken accessToken;
  private final long expirationSeconds;
  private final long timeoutMs;

  FcmSender(
      HttpClient client,
      String baseUrl,
      String projectId,
      FcmAccessToken accessToken,
      long expirationSeconds,
      long timeoutMs) {
    this.client = client;
    this.sendUrl = baseUrl + "/v1/projects/" + PathSegment.encode(projectId) + "/messages:send";
    this.accessToken = accessToken;
    this.expirationSeconds = expirationSeconds;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Answer> send(Notification notification) {
    Buffer payload = payload(notification, expirationSeconds).toBuffer();
    return accessToken
        .current()
        .compose(
            token ->
                client.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setAbsoluteURI(sendUrl)
                        .putHeader("authorization", "Bearer " + token)
                        .putHeader("content-type", "application/json; UTF-8")
                        .setConnectTimeout(timeoutMs)
                        .setIdleTimeout(timeoutMs)))
        .compose(request -> request.send(payload))
        .compose(response -> response.body().map(body -> answer(response, body)))
        .otherwise(failure -> Answer.retry(0, String.valueOf(failure.getMessage()), 0));
  }

  /** The request body {@code {message: {token, notification, data, android}}}. */
  static JsonObject payload(Notification notification, long expirationSeconds) {
    JsonObject shown = new JsonObject().put("title", notification.title());
    if (notification.preview() != null) {
      shown.put("body", notification.preview());
    }
    return new JsonObject()
        .put(
            "message",
            new JsonObject()
                .put("token", notification.device().token())
                .put("notification", shown)
                .put(
                    "data",
                    notification.withGroup(
                        new JsonObject()
                            .put("msgid", Long.toString(notification.message().msgid()))
                            .put("msgtype", Integer.toString(notification.message().msgtype()))
                            .put("kind", notification.message().kind().wire())))
                .put(
                    "android",
                    new JsonObject()
                        .put("priority", "HIGH")
                        .put("collapse_key", notification.collapseId())
                        .put("ttl", expirationSeconds + "s")));
  }

  private Answer answer(HttpClientResponse response, Buffer body) {
    int status = response.statusCode();
    if (status == 200) {
      return Answer.sent(status);
    }
    JsonObject error = error(body);
    String code = errorCode(error);
    if ("UNREGISTERED".equals(code) || "SENDER_ID_MISMATCH".equals(code)) {
      return Answer.dead(status, code);
    }
    if ("INVALID_ARGUMENT".equals(code) && namesTheToken(error)) {
      return Answer.dead(status, code + ": " + error.getString("message"));
    }
    if (status == 401) {
      accessToken.refused();
      return Answer.retry(status, code, 0);
    }
    if (status == 429 || status >= 500) {
      return Answer.retry(status, code, Answer.retryAfterMs(response.getHeader("retry-after")));
    }
    return Answer.failed(
        status,
        error.getString("message") == null ? code : code + ": " + error.getString("message"));
  }

  /** The {@code error} object of an answer, empty when the body is no such JSON. */
  private static JsonObject error(Buffer body) {
    try {
      JsonObject error = body.toJsonObject().getJsonObject("error");
      return error == null ? new JsonObject() : error;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /** The {@code FcmError} detail's {@code errorCode}, else the error's {@code status}. */
  private static String errorCode(JsonObject error) {
    for (JsonObject detail : details(error)) {
      if (detail.getString("@type", "").endsWith("google.firebase.fcm.v1.FcmError")
          && detail.getString("errorCode") != null) {
        return detail.getString("errorCode");
      }
    }
    return error.getString("status");
  }

  /** Whether a {@code BadRequest} field violation, or the message, concerns the token. */
  private static boolean namesTheToken(JsonObject error) {
    for (JsonObject detail : details(error)) {
      JsonArray violations = detail.getJsonArray("fieldViolations");
      if (violations != null) {
        for (Object violation : violations) {
          if (violation instanceof JsonObject field
              && "message.token".equals(field.getString("field"))) {
            return true;
          }
        }
      }
    }
    String message = error.getString("message", "");
    return message.contains("registration token");
  }

  private static List<JsonObject> details(JsonObject error) {
    JsonArray details = error.getJsonArray("details");
    if (details == null) {
      return List.of();
    }
    List<JsonObject> objects = new ArrayList<>();
    for (Object detail : details) {
      if (detail instanceof JsonObject object) {
        objects.add(object);
      }
    }
    return objects;
  }
}
