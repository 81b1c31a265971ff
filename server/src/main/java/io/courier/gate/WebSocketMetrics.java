package io.courier.gate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket transport's own meters, beside the gate's, which count its frames, logins, limits
 * and admission refusals together with TCP's: {@code courier_gate_websocket_connections} (open now;
 * they are also in {@code courier_connections}), {@code
 * courier_gate_websocket_upgrades_total{result}} (accepted, or refused for their origin, or because
 * the node is draining) and {@code courier_gate_websocket_refused_total{reason}} (connections
 * closed for a text message, a frame not alone in its message, or a message too large).
 */
final class WebSocketMetrics {

  /** Why an open WebSocket was closed by its transport. */
  enum Refusal {
    TEXT("text"),
    SPLIT("not_one_frame"),
    TOO_LARGE("too_large");

    private final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }

  /** What became of a request for {@code /ws}. */
  enum Upgrade {
    ACCEPTED("ok"),
    ORIGIN("origin"),
    DRAINING("draining");

    private final String tag;

    Upgrade(String tag) {
      this.tag = tag;
    }
  }

  private final AtomicInteger open = new AtomicInteger();
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final Map<Upgrade, Counter> upgrades = new EnumMap<>(Upgrade.class);

  WebSocketMetrics(MeterRegistry registry) {
    Gauge.builder("courier.gate.websocket.connections", open, AtomicInteger::get)
        .description("client connections open over WebSocket on this node's gate")
        .register(registry);
    for (Refusal reason : Refusal.values()) {
      refused.put(
          reason,
          Counter.builder("courier.gate.websocket.refused")
              .description("WebSocket connections closed for a message that is not one frame")
              .tag("reason", reason.tag())
              .register(registry));
    }
    for (Upgrade result : Upgrade.values()) {
      upgrades.put(
          result,
          Counter.builder("courier.gate.websocket.upgrades")
              .description("requests for /ws, by result")
              .tag("result", result.tag)
              .register(registry));
    }
  }

  void refused(Refusal reason) {
    refused.get(reason).increment();
  }

  void upgrade(Upgrade result) {
    upgrades.get(result).increment();
  }

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }
}
