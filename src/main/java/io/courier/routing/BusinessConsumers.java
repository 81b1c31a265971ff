package io.courier.routing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Hands a C2S message to a business consumer and waits for its reply (or fails: no consumer, timeout). */
public interface BusinessConsumers {

  Future<JsonObject> request(String address, JsonObject message);
}
