package io.courier.routing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Hands a C2S message to a business consumer and waits for its reply body, whatever its type (or
 * fails: no consumer, timeout, the consumer failed the message).
 */
public interface BusinessConsumers {

  Future<Object> request(String address, JsonObject message);
}
