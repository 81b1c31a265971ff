package io.courier.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How a business sender reaches Courier's request addresses: the TCP bridge ({@link BridgeClient})
 * or the clustered event bus ({@link EventBusRequester}). Called only on the context the requester
 * belongs to.
 */
interface Requester {
  /**
   * Sends {@code body} to {@code address}; completes with the reply's body, or fails without one.
   */
  Future<JsonObject> request(String address, JsonObject body);

  /** True once no more requests can be sent (the connection is gone). */
  boolean isClosed();
}
