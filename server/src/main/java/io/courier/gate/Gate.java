package io.courier.gate;

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

  /** The same gate, with the logic roles as {@code logic} (one connection's view of them). */
  Gate withLogic(LogicClient logic) {
    return new Gate(settings, sessions, logic, steps, metrics, loop, connections);
  }
}
