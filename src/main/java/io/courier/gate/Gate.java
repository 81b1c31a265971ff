package io.courier.gate;

import io.courier.config.CourierConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** What every connection of a gate needs from its node: settings, the session registry, the logic roles. */
record Gate(Vertx vertx, CourierConfig config, LocalSessions sessions, SessionCommands commands) {

  /** Options of a request from a gate to a logic verticle: its timeout. */
  DeliveryOptions requestOptions() {
    return new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }
}
