package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;

/**
 * What every connection of a gate instance needs: its settings, the node's session registry, the
 * logic roles, the delivery steps to report, the meters, the event loop, and the set of this
 * instance's open connections (confined to its event loop).
 */
record Gate(
    ConnectionSettings settings,
    LocalSessions sessions,
    LogicClient logic,
    DeliverySteps steps,
    GateMetrics metrics,
    GateLoop loop,
    Set<Connection> connections) {

  /**
   * A gate instance on {@code context}'s event loop, its logic roles reached over the event bus.
   */
  static Gate of(
      CourierConfig config,
      LocalSessions sessions,
      PresenceStore presence,
      Tracker tracker,
      MeterRegistry registry,
      Vertx vertx,
      Context context) {
    return new Gate(
        ConnectionSettings.from(config),
        sessions,
        new ClusterLogicClient(vertx.eventBus(), config, presence),
        DeliverySteps.of(tracker),
        new GateMetrics(registry),
        GateLoop.of(vertx, context),
        new HashSet<>());
  }

  /** The same gate, with the logic roles as {@code logic} (one connection's view of them). */
  Gate withLogic(LogicClient logic) {
    return new Gate(settings, sessions, logic, steps, metrics, loop, connections);
  }
}
