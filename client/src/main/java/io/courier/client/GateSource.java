package io.courier.client;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where a {@link ReconnectingSession} finds gates: asked before every attempt, it gives the gates
 * to try, in order (the session takes the first that accepts the connection).
 */
@FunctionalInterface
public interface GateSource {

  Future<List<GateAddress>> gates();

  /** Always the same gates, in this order. */
  static GateSource fixed(List<GateAddress> gates) {
    List<GateAddress> copy = List.copyOf(gates);
    return () -> Future.succeededFuture(copy);
  }
}
