package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Set;

/**
 * What every connection of a gate needs: settings, the node's session registry, the logic roles and
 * the options of requests to them ({@link #requestOptions(CourierConfig)}), and the set of this
 * gate instance's open connections (confined to its event loop).
 */
record Gate(
    Vertx vertx,
    CourierConfig config,
    LocalSessions sessions,
    SessionCommands commands,
    DeliveryOptions logicRequests,
    Tracker tracker,
    GateMetrics metrics,
    PresenceStore presence,
    Set<Connection> connections) {

  /**
   * Options of a request from a gate to a logic verticle: its timeout, and, when this node runs the
   * logic role too, local delivery only — no network hop, and no request sent to another node that
   * may have just died while the cluster still lists its consumers.
   */
  static DeliveryOptions requestOptions(CourierConfig config) {
    return new DeliveryOptions()
        .setSendTimeout(config.requestTimeout().toMillis())
        .setLocalOnly(config.hasRole("logic"));
  }
}
