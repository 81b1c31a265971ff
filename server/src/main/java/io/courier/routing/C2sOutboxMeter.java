package io.courier.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of the C2S outbox, {@code courier.c2s.outbox} by {@code event}: {@code stored} (a
 * qos-1 C2S no consumer accepted went to the outbox), {@code handed} (a consumer took a stored
 * one), {@code full} (refused with 429: its sender had the cap waiting), {@code dropped} (a
 * consumer refused a stored one with a code other than 503 or 504) and {@code purged} (deleted by
 * the retention purge, never handed over).
 */
public final class C2sOutboxMeter {
  private final Counter stored;
  private final Counter handed;
  private final Counter full;
  private final Counter dropped;
  private final Counter purged;

  public C2sOutboxMeter(MeterRegistry registry) {
    this.stored = counter(registry, "stored");
    this.handed = counter(registry, "handed");
    this.full = counter(registry, "full");
    this.dropped = counter(registry, "dropped");
    this.purged = counter(registry, "purged");
  }

  private static Counter counter(MeterRegistry registry, String event) {
    return Counter.builder("courier.c2s.outbox")
        .description("qos-1 C2S messages through the C2S outbox, by event")
        .tag("event", event)
        .register(registry);
  }

  void stored() {
    stored.increment();
  }

  void handed() {
    handed.increment();
  }

  void full() {
    full.increment();
  }

  void dropped() {
    dropped.increment();
  }

  void purged(int count) {
    purged.increment(count);
  }
}
