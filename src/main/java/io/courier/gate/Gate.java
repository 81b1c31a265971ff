package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.contract.Receipts;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** What every connection of a gate needs from its node: settings, the session registry, the logic roles. */
record Gate(Vertx vertx, CourierConfig config, LocalSessions sessions, SessionCommands commands, Receipts receipts) {

  /** Options of a request from a gate to a logic verticle: its timeout. */
  static DeliveryOptions requestOptions(CourierConfig config) {
    return new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }
}
