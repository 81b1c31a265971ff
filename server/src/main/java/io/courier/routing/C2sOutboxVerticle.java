package io.courier.routing;

import io.courier.config.CourierConfig;
import io.courier.contract.Receipts;
import io.courier.ops.Tracker;
import io.courier.store.C2sOutbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's {@link C2sOutboxDrainer}: one round after another, each after the wait the one
 * before asked for, or at once when {@link #wake()} says a message was stored; and the outbox's
 * retention purge every {@value #PURGE_INTERVAL_MS} ms. One instance per node with the routing
 * role.
 */
public final class C2sOutboxVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(C2sOutboxVerticle.class);
  static final long PURGE_INTERVAL_MS = 60_000;

  private final CourierConfig config;
  private final C2sOutbox outbox;
  private final Tracker tracker;
  private final C2sOutboxMeter meter;
  private C2sOutboxDrainer drainer;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private boolean failing;
  private long timer = -1;
  private long purgeTimer = -1;

  public C2sOutboxVerticle(
      CourierConfig config, C2sOutbox outbox, Tracker tracker, C2sOutboxMeter meter) {
    this.config = config;
    this.outbox = outbox;
    this.tracker = tracker;
    this.meter = meter;
  }

  @Override
  public Future<?> start() {
    DeliveryOptions c2sOptions =
        new DeliveryOptions().setSendTimeout(config.c2sTimeout().toMillis());
    drainer =
        new C2sOutboxDrainer(
            outbox,
            (address, message) ->
                vertx.eventBus().request(address, message, c2sOptions).map(Message::body),
            tracker,
            new Receipts(vertx.eventBus()),
            meter,
            config.c2sTimeout(),
            config.c2sOutboxRetryMax());
    purgeTimer = vertx.setPeriodic(1, PURGE_INTERVAL_MS, id -> purge());
    round();
    return Future.succeededFuture();
  }

  /** Runs a round as soon as the running one, if any, has ended. Safe from any thread. */
  public void wake() {
    context.runOnContext(
        v -> {
          if (running) {
            again = true;
          } else if (!stopped) {
            vertx.cancelTimer(timer);
            round();
          }
        });
  }

  private void round() {
    running = true;
    drainer
        .round(System.currentTimeMillis())
        .onComplete(
            done -> {
              running = false;
              if (stopped) {
                return;
              }
              long wait;
              if (again) {
                wait = 0;
              } else if (done.succeeded()) {
                wait = done.result();
              } else {
                wait = config.c2sOutboxRetryMax().toMillis();
              }
              // one line per outage, not one per round
              if (done.failed() && !failing) {
                LOG.warn("C2S outbox not read, trying again: {}", done.cause().getMessage());
              } else if (done.succeeded() && failing) {
                LOG.info("C2S outbox read again");
              }
              failing = done.failed();
              again = false;
              timer = vertx.setTimer(Math.max(1, wait), id -> round());
            });
  }

  private void purge() {
    drainer
        .purge(System.currentTimeMillis() - config.c2sOutboxRetention().toMillis())
        .onFailure(e -> LOG.warn("C2S outbox not purged: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(purgeTimer);
    return Future.succeededFuture();
  }
}
