package io.courier.push;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.PushProvider;
import io.courier.protocol.body.Result;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push role, deployed once on a node with the logic role: answers PUSH_REGISTER ({@link
 * Registrations}), takes the gates' unacknowledged pushes into the {@link Intake}, and sends the
 * notifications ({@link Dispatcher}) through a {@link Lane} per configured provider, each with its
 * own HTTP client and so its own connection pool. A provider without configuration (no APNs key, no
 * FCM service account, no webhook URL) has no lane: its registrations are kept, and counted as
 * failed notifications until it is configured; a node with no provider at all takes no triggers.
 *
 * <p>Where a notification is sent, in a cluster: the node whose routing stored the message (its own
 * intake), or the one node that got the gate's single send of an unacknowledged push. So each
 * trigger is sent by exactly one node; collapse windows are per node (docs/push.md).
 *
 * @implNote The HTTP clients are Vert.x's, on this verticle's event loop: a notification costs an
 *     HTTP/2 stream on a kept connection, no thread. Rejected: Pushy for APNs, which brings its own
 *     event loops and did not establish an HTTP/2 connection on Vert.x 5's Netty 4.2 when tried.
 */
public final class PushVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);

  private final CourierConfig config;
  private final DeviceRegistry registry;
  private final Intake intake;
  private final Tracker tracker;
  private final MeterRegistry meters;
  private final List<HttpClient> clients = new ArrayList<>();

  public PushVerticle(
      CourierConfig config,
      DeviceRegistry registry,
      Intake intake,
      Tracker tracker,
      MeterRegistry meters) {
    this.meters = meters;
    this.config = config;
    this.registry = registry;
    this.intake = intake;
    this.tracker = tracker;
  }

  @Override
  public Future<?> start() {
    Scheduler scheduler = (delayMs, task) -> vertx.setTimer(delayMs, id -> task.run());
    long windowMs = config.pushCollapse().toMillis();
    Dispatcher dispatcher =
        new Dispatcher(
            intake,
            new Collapser(windowMs > 0),
            registry,
            scheduler,
            tracker,
            config.pushTitle(),
            config.pushQueueSize(),
            windowMs);
    Registrations registrations = new Registrations(registry, System::currentTimeMillis, meters);
    return senders()
        .compose(
            senders -> {
              Backoff backoff =
                  new Backoff(
                      config.notifyRetryBase().toMillis(),
                      () -> ThreadLocalRandom.current().nextDouble());
              for (ProviderSender provider : senders) {
                dispatcher.addLane(
                    new Lane(
                        provider.provider(),
                        provider.sender(),
                        provider.concurrency(),
                        new RateLimit(provider.perSecond(), System.nanoTime()),
                        backoff,
                        config.notifyRetries(),
                        2 * config.pushRequestTimeout().toMillis(),
                        scheduler,
                        System::nanoTime,
                        dispatcher));
              }
              LOG.info(
                  "push role: providers {}",
                  senders.isEmpty()
                      ? "none configured"
                      : senders.stream().map(s -> s.provider().wire()).toList());
              return Future.all(
                  vertx
                      .eventBus()
                      .<JsonObject>consumer(
                          Addresses.PUSH_REGISTER,
                          request ->
                              registrations
                                  .handle(SessionRequest.fromJson(request.body()))
                                  .onComplete(
                                      done ->
                                          request.reply(
                                              done.succeeded()
                                                  ? done.result()
                                                  : Result.error(Code.INTERNAL, null).toJson())))
                      .completion(),
                  vertx
                      .eventBus()
                      .<JsonObject>consumer(
                          Addresses.PUSH_UNACKED, notice -> unacked(notice.body()))
                      .completion());
            })
        .onSuccess(
            v -> {
              if (dispatcher.lanes() > 0) {
                intake.drainWith(() -> context.runOnContext(run -> dispatcher.drain()));
              }
            });
  }

  private void unacked(JsonObject pushBody) {
    try {
      intake.unacked(Message.fromPushBody(pushBody));
    } catch (MalformedBodyException e) {
      LOG.warn("unacknowledged push notice not read: {}", e.getMessage());
    }
  }

  /** A configured provider's sender, with its lane's limits. */
  private record ProviderSender(
      PushProvider provider, NotificationSender sender, int concurrency, int perSecond) {}

  /** The senders of the configured providers; reading a key file that fails fails the start. */
  private Future<List<ProviderSender>> senders() {
    List<Future<ProviderSender>> senders = new ArrayList<>();
    long timeoutMs = config.pushRequestTimeout().toMillis();
    long expiration = config.pushExpiration().toSeconds();
    if (config.apnsKeyFile() != null) {
      senders.add(
          vertx
              .fileSystem()
              .readFile(config.apnsKeyFile())
              .map(
                  pem ->
                      new ProviderSender(
                          PushProvider.APNS,
                          new ApnsSender(
                              http2(config.apnsConcurrency()),
                              config.apnsUrl(),
                              new ApnsToken(
                                  Jwt.privateKey(pem.toString(), "EC"),
                                  config.apnsKeyId(),
                                  config.apnsTeamId(),
                                  System::currentTimeMillis),
                              config.apnsTopic(),
                              expiration,
                              timeoutMs,
                              System::currentTimeMillis),
                          config.apnsConcurrency(),
                          config.apnsRatePerSecond())));
    }
    if (config.fcmServiceAccountFile() != null) {
      senders.add(
          vertx
              .fileSystem()
              .readFile(config.fcmServiceAccountFile())
              .map(
                  json -> {
                    ServiceAccount account = ServiceAccount.fromJson(json.toJsonObject());
                    HttpClient client = http2(config.fcmConcurrency());
                    return new ProviderSender(
                        PushProvider.FCM,
                        new FcmSender(
                            client,
                            config.fcmUrl(),
                            account.projectId(),
                            new FcmAccessToken(
                                client, account, System::currentTimeMillis, timeoutMs),
                            expiration,
                            timeoutMs),
                        config.fcmConcurrency(),
                        config.fcmRatePerSecond());
                  }));
    }
    if (config.webhookUrl() != null) {
      senders.add(
          Future.succeededFuture(
              new ProviderSender(
                  PushProvider.WEBHOOK,
                  new WebhookSender(
                      http1(config.webhookConcurrency()),
                      config.webhookUrl(),
                      config.webhookSecret(),
                      timeoutMs,
                      System::currentTimeMillis),
                  config.webhookConcurrency(),
                  config.webhookRatePerSecond())));
    }
    return Future.all(senders).map(all -> all.<ProviderSender>list());
  }

  private HttpClient http2(int concurrency) {
    return keep(
        ProviderClients.http2(
            vertx, concurrency, config.pushCaFile(), config.pushRequestTimeout().toMillis()));
  }

  private HttpClient http1(int concurrency) {
    return keep(
        ProviderClients.http1(
            vertx, concurrency, config.pushCaFile(), config.pushRequestTimeout().toMillis()));
  }

  private HttpClient keep(HttpClient client) {
    clients.add(client);
    return client;
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closed = new ArrayList<>();
    clients.forEach(client -> closed.add(client.close()));
    return Future.join(closed);
  }
}
