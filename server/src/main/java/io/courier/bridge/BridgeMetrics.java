package io.courier.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bridge's meters: {@code courier_bridge_refused_total{business, error, rule}}, one count per
 * err frame the guard answers a business with. Bounded: {@code business} is a configured name, or
 * {@code shared}, {@code open}, or {@code none} before a connection has shown a credential; {@code
 * error} one of {@link GuardError}; {@code rule} one of {@link Rule} or {@code none}.
 */
final class BridgeMetrics {
  static final String REFUSED = "courier.bridge.refused";

  private final MeterRegistry registry;

  BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts {@code refusal} of a frame of {@code business} (null: not known yet). */
  void refused(Business business, Refusal refusal) {
    Counter.builder(REFUSED)
        .description("frames the business bridge refused, by business, err message and rule")
        .tag("business", business == null ? "none" : business.name())
        .tag("error", refusal.error().wire())
        .tag("rule", refusal.rule() == null ? "none" : refusal.rule().wire())
        .register(registry)
        .increment();
  }
}
