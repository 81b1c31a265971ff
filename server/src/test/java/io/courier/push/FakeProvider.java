package io.courier.push;

import io.courier.testkit.FreePorts;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A provider's server for tests, following the provider's documented requests and answers:
 *
 * <ul>
 *   <li>{@link #apns}: HTTP/2 over TLS only; {@code POST /3/device/<token>} with an ES256 {@code
 *       authorization: bearer} token (verified with the team's key), {@code apns-topic} and {@code
 *       apns-push-type} required; 200 with an {@code apns-id}, errors as {@code {"reason"}} (Apple,
 *       "Handling notification responses from APNs").
 *   <li>{@link #fcm}: HTTP/2 over TLS; {@code POST /token} takes the JWT bearer grant (RS256
 *       assertion verified) and gives {@code {access_token, expires_in}}; {@code POST
 *       /v1/projects/<id>/messages:send} with that bearer token; 200 {@code {"name"}}, errors as
 *       Google's {@code {"error": {code, message, status, details: [FcmError]}}}.
 *   <li>{@link #webhook}: HTTP/1.1; the HMAC signature of every POST is verified.
 * </ul>
 *
 * Notification requests are recorded; the answers are scripted ({@link #answer}), 200 when the
 * script is empty, none at all while {@link #hang} is set.
 */
final class FakeProvider implements AutoCloseable {
  /** A notification request as it arrived. */
  record Request(String path, MultiMap headers, Buffer body, long atNanos) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  /** A scripted answer. */
  record Reply(int status, JsonObject body, Map<String, String> headers) {
    static Reply of(int status, JsonObject body) {
      return new Reply(status, body, Map.of());
    }
  }

  private enum Kind {
    APNS,
    FCM,
    WEBHOOK
  }

  private final Kind kind;
  private final KeyPair key;
  private final String secret;
  private final HttpServer server;
  private final SelfSignedCertificate certificate;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Deque<Reply> script = new ArrayDeque<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger accessTokens = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final Set<String> verified = ConcurrentHashMap.newKeySet();
  private volatile boolean hang;
  private final int port;

  private FakeProvider(Vertx vertx, Kind kind, KeyPair key, String secret) {
    this.kind = kind;
    this.key = key;
    this.secret = secret;
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1");
    if (kind == Kind.WEBHOOK) {
      certificate = null;
    } else {
      certificate = SelfSignedCertificate.create("localhost");
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions());
    }
    this.server = vertx.createHttpServer(options).requestHandler(this::handle);
    this.port = server.listen(FreePorts.next()).await().actualPort();
  }

  /** APNs, verifying provider tokens with {@code teamKey}'s public half. */
  static FakeProvider apns(Vertx vertx, KeyPair teamKey) {
    return new FakeProvider(vertx, Kind.APNS, teamKey, null);
  }

  /** FCM and its token endpoint, verifying assertions with {@code accountKey}'s public half. */
  static FakeProvider fcm(Vertx vertx, KeyPair accountKey) {
    return new FakeProvider(vertx, Kind.FCM, accountKey, null);
  }

  /** A webhook verifying the HMAC of every request with {@code secret}. */
  static FakeProvider webhook(Vertx vertx, String secret) {
    return new FakeProvider(vertx, Kind.WEBHOOK, null, secret);
  }

  /**
   * {@code https://localhost:<port>} (the certificate's name), or {@code http://127.0.0.1:…/hook}.
   */
  String url() {
    return kind == Kind.WEBHOOK
        ? "http://127.0.0.1:" + port + "/hook"
        : "https://localhost:" + port;
  }

  /** The PEM file of the server's self-signed certificate: {@code push.caFile}. */
  String caFile() {
    return certificate.certificatePath();
  }

  /** The next notification requests get these answers, in order; then 200 again. */
  synchronized void answer(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** While set, notification requests get no answer at all. */
  void hang(boolean hang) {
    this.hang = hang;
  }

  /** The next notification request, waiting at most {@code seconds}; null when none came. */
  Request next(long seconds) {
    try {
      return requests.poll(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Forgets the requests received and the answers scripted so far. */
  synchronized void clear() {
    requests.clear();
    script.clear();
    hang = false;
  }

  /** Notification requests received and not yet taken with {@link #next}. */
  int waiting() {
    return requests.size();
  }

  /** Notification requests answered so far. */
  int answered() {
    return answered.get();
  }

  /** Access tokens the FCM token endpoint gave out. */
  int accessTokens() {
    return accessTokens.get();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              if (kind == Kind.FCM && request.path().equals("/token")) {
                token(request, body);
                return;
              }
              String refusal = refusal(request, body);
              if (refusal != null) {
                request.response().setStatusCode(403).end(refusal);
                return;
              }
              requests.add(new Request(request.path(), request.headers(), body, System.nanoTime()));
              if (hang) {
                return;
              }
              Reply reply;
              synchronized (this) {
                reply = script.poll();
              }
              reply(request, reply == null ? ok() : reply);
            });
  }

  /**
   * Why the request is refused before it is recorded (bad credentials, wrong protocol), or null.
   */
  private String refusal(HttpServerRequest request, Buffer body) {
    switch (kind) {
      case APNS -> {
        if (request.version() != HttpVersion.HTTP_2) {
          return "APNs speaks HTTP/2 only";
        }
        String auth = request.getHeader("authorization");
        if (auth == null
            || !auth.startsWith("bearer ")
            || !verifies(auth.substring(7), "SHA256withECDSAinP1363Format")) {
          return new JsonObject().put("reason", "InvalidProviderToken").encode();
        }
        if (request.getHeader("apns-topic") == null
            || request.getHeader("apns-push-type") == null) {
          return new JsonObject().put("reason", "MissingTopic").encode();
        }
        return null;
      }
      case FCM -> {
        String auth = request.getHeader("authorization");
        if (auth == null || !auth.matches("Bearer ya29\\.test-\\d+")) {
          return "no valid access token";
        }
        return null;
      }
      default -> {
        String timestamp = request.getHeader("X-Courier-Timestamp");
        String signature = request.getHeader("X-Courier-Signature");
        if (timestamp == null
            || signature == null
            || !signature.equals("sha256=" + hmac(timestamp + "." + body.toString()))) {
          return "bad signature";
        }
        return null;
      }
    }
  }

  private Reply ok() {
    return switch (kind) {
      case APNS -> new Reply(200, null, Map.of("apns-id", UUID.randomUUID().toString()));
      case FCM ->
          Reply.of(
              200,
              new JsonObject()
                  .put("name", "projects/courier-test/messages/0:" + System.nanoTime()));
      case WEBHOOK -> Reply.of(200, new JsonObject().put("ok", true));
    };
  }

  private void reply(HttpServerRequest request, Reply reply) {
    answered.incrementAndGet();
    reply.headers().forEach(request.response()::putHeader);
    request.response().setStatusCode(reply.status());
    if (reply.body() == null) {
      request.response().end();
    } else {
      request.response().putHeader("content-type", "application/json").end(reply.body().encode());
    }
  }

  /** The token endpoint: the JWT bearer grant with a valid RS256 assertion for FCM's scope. */
  private void token(HttpServerRequest request, Buffer body) {
    tokenRequests.incrementAndGet();
    Map<String, String> form = new HashMap<>();
    for (String pair : body.toString().split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    String assertion = form.get("assertion");
    boolean valid =
        FcmAccessToken.GRANT.equals(form.get("grant_type"))
            && assertion != null
            && verifies(assertion, "SHA256withRSA")
            && FcmAccessToken.SCOPE.equals(claims(assertion).getString("scope"))
            && (url() + "/token").equals(claims(assertion).getString("aud"));
    if (!valid) {
      request
          .response()
          .setStatusCode(400)
          .end(new JsonObject().put("error", "invalid_grant").encode());
      return;
    }
    request
        .response()
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("access_token", "ya29.test-" + accessTokens.incrementAndGet())
                .put("expires_in", 3599)
                .put("token_type", "Bearer")
                .encode());
  }

  /**
   * Whether {@code jwt} is signed with the key. A token verified once is not verified again, as
   * APNs does not: it is reused for up to an hour.
   */
  private boolean verifies(String jwt, String algorithm) {
    if (verified.contains(jwt)) {
      return true;
    }
    if (verifiesSignature(jwt, algorithm)) {
      verified.add(jwt);
      return true;
    }
    return false;
  }

  private boolean verifiesSignature(String jwt, String algorithm) {
    int lastDot = jwt.lastIndexOf('.');
    if (lastDot < 0) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initVerify(key.getPublic());
      signature.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
      return signature.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** APNs's error body {@code {"reason": reason}}. */
  static JsonObject apnsReason(String reason) {
    return new JsonObject().put("reason", reason);
  }

  /** FCM's error body for {@code status} with the FcmError {@code errorCode}. */
  static JsonObject fcmError(int code, String status, String errorCode, String message) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("code", code)
                .put("message", message)
                .put("status", status)
                .put(
                    "details",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                                .put("errorCode", errorCode))));
  }

  @Override
  public void close() {
    server.close().await();
    if (certificate != null) {
      certificate.delete();
    }
  }
}
