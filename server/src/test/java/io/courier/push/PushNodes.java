package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.client.CourierClient;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A node with the push role wired to local providers ({@link FakeProvider}): APNs with a team key,
 * FCM with a service account, a webhook with a secret, all trusted through {@code push.caFile}; and
 * the helpers the node tests share.
 */
final class PushNodes implements AutoCloseable {
  static final String ADMIN_TOKEN = "push-test-admin-token-of-32-bytes-long";
  static final String WEBHOOK_SECRET = "a-webhook-secret-of-at-least-32-bytes!";
  static final int APPCODE = 101;
  static final long WAIT_SECONDS = 30;

  final Vertx vertx = Vertx.vertx();
  final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
  final FakeProvider apns;
  final FakeProvider fcm;
  final FakeProvider hook;
  final TestNode node;
  final Tokens tokens = new Tokens(vertx);
  final CourierClient client = new CourierClient(vertx);
  private final HttpClient http = vertx.createHttpClient();

  /** A node with {@code push} settings merged over the providers' and {@code other} settings. */
  PushNodes(JsonObject push, JsonObject other) {
    try {
      KeyPair teamKey = JwtTest.ecKey();
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      KeyPair accountKey = rsa.generateKeyPair();
      apns = FakeProvider.apns(vertx, teamKey);
      fcm = FakeProvider.fcm(vertx, accountKey);
      hook = FakeProvider.webhook(vertx, WEBHOOK_SECRET);
      Path dir = Files.createTempDirectory("courier-push");
      Path keyFile = Files.writeString(dir.resolve("AuthKey_KEY1234567.p8"), JwtTest.pem(teamKey));
      Path account =
          Files.writeString(
              dir.resolve("service-account.json"),
              FcmSenderTest.serviceAccount(fcm, accountKey).encode());
      Path ca =
          Files.writeString(
              dir.resolve("ca.pem"),
              Files.readString(Path.of(apns.caFile())) + Files.readString(Path.of(fcm.caFile())));
      JsonObject settings =
          new JsonObject()
              .put("caFile", ca.toString())
              .put(
                  "apns",
                  new JsonObject()
                      .put("url", apns.url())
                      .put("keyFile", keyFile.toString())
                      .put("keyId", "KEY1234567")
                      .put("teamId", "TEAM123456")
                      .put("topic", "com.example.driver"))
              .put(
                  "fcm",
                  new JsonObject()
                      .put("url", fcm.url())
                      .put("serviceAccountFile", account.toString()))
              .put("webhook", new JsonObject().put("url", hook.url()).put("secret", WEBHOOK_SECRET))
              .mergeIn(push, true);
      node =
          TestNode.start(
              vertx,
              other
                  .copy()
                  .put("push", settings)
                  .put("ops", new JsonObject().put("adminToken", ADMIN_TOKEN)),
              registry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Logs {@code uid} in and registers its device with PUSH_REGISTER. */
  TestSession registered(String uid, String provider, String token, boolean autoAck) {
    TestSession session = TestSession.login(client, node, tokens, uid, APPCODE, autoAck);
    JsonObject answer =
        session.request(
            Command.PUSH_REGISTER, new JsonObject().put("provider", provider).put("token", token));
    assertEquals(0, answer.getInteger("code"), answer.encode());
    return session;
  }

  /** Registers {@code uid}'s device and leaves: the user is offline, the registration stays. */
  void registeredOffline(String uid, String provider, String token) {
    registered(uid, provider, token, true).close();
  }

  /** A qos-1 {@code courier.s2c} to {@code uid} with {@code logid}; the business's answer. */
  JsonObject s2c(String uid, String logid) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.S2C,
            new JsonObject()
                .put("to_uid", uid)
                .put("to_appcode", APPCODE)
                .put("msgtype", 1)
                .put("content", "secret order content")
                .put("logid", logid))
        .map(Message::body)
        .await();
  }

  /** GET on the admin API; the body as JSON. */
  JsonObject admin(String path) {
    return http.request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(node.adminPort())
                .setURI(path)
                .putHeader("Authorization", "Bearer " + ADMIN_TOKEN))
        .compose(request -> request.send().compose(response -> response.body()))
        .map(body -> body.toJsonObject())
        .await();
  }

  /** The steps of {@code logid}'s trace, waiting until one matches {@code wanted}. */
  JsonObject traceStep(String logid, Predicate<JsonObject> wanted) {
    JsonObject[] found = new JsonObject[1];
    waitUntil(
        "a trace step of " + logid,
        () -> {
          JsonArray steps = admin("/v1/trace/" + logid).getJsonArray("steps", new JsonArray());
          for (Object step : steps) {
            if (wanted.test((JsonObject) step)) {
              found[0] = (JsonObject) step;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  /** The count of meter {@code name} with {@code tags} (0 while it does not exist). */
  double count(String name, String... tags) {
    return Search.in(registry).name(name).tags(tags).counters().stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  /** Waits until the timer {@code name} with {@code tags} recorded at least {@code count}. */
  void waitForTimer(String name, long count, String... tags) {
    waitUntil(
        name + " " + String.join(",", tags),
        () ->
            Search.in(registry).name(name).tags(tags).timers().stream()
                    .mapToLong(timer -> timer.count())
                    .sum()
                >= count);
  }

  /** Polls {@code condition} until it holds, for at most {@value #WAIT_SECONDS} s. */
  static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not seen within " + WAIT_SECONDS + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The next request of {@code fake} for {@code token}, skipping requests for other tokens. */
  static FakeProvider.Request nextFor(FakeProvider fake, String token) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      FakeProvider.Request request = fake.next(1);
      if (request != null && tokenOf(request).equals(token)) {
        return request;
      }
    }
    throw new AssertionError(
        "no notification for token " + token + " within " + WAIT_SECONDS + " s");
  }

  /** The device token a provider request is for. */
  static String tokenOf(FakeProvider.Request request) {
    if (request.path().startsWith("/3/device/")) {
      return request.path().substring("/3/device/".length());
    }
    JsonObject body = request.json();
    return body.containsKey("message")
        ? body.getJsonObject("message").getString("token")
        : body.getString("token");
  }

  /** The msgid a provider request announces. */
  static String msgidOf(FakeProvider.Request request) {
    JsonObject body = request.json();
    if (body.containsKey("message")) {
      return body.getJsonObject("message").getJsonObject("data").getString("msgid");
    }
    return body.getString("msgid");
  }

  @Override
  public void close() {
    client.close().await();
    apns.close();
    fcm.close();
    hook.close();
    vertx.close().await();
  }
}
