package io.courier.testkit.fakes;

import io.courier.routing.BusinessConsumers;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link BusinessConsumers} whose consumers a test scripts per address, failing as the event bus
 * fails: an address without consumer is {@link ReplyFailure#NO_HANDLERS}, a silent consumer {@link
 * ReplyFailure#TIMEOUT} (at once: the send timeout is the event bus's business, not the flow's), a
 * consumer that fails the message {@link ReplyFailure#RECIPIENT_FAILURE} with its code. Every
 * request is recorded.
 */
public final class ScriptedBusinessConsumers implements BusinessConsumers {
  /** One message handed to {@code address}. */
  public record Request(String address, JsonObject message) {}

  private final Map<String, Supplier<Future<Object>>> consumers = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();

  /** The consumer of {@code address} replies with {@code body} (any type, or null for none). */
  public synchronized void replies(String address, Object body) {
    consumers.put(address, () -> Future.succeededFuture(body));
  }

  /** The consumer of {@code address} fails each message with {@code failureCode}. */
  public synchronized void fails(String address, int failureCode) {
    consumers.put(
        address,
        () ->
            Future.failedFuture(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failureCode, "refused")));
  }

  /** The consumer of {@code address} never replies. */
  public synchronized void silent(String address) {
    consumers.put(
        address,
        () ->
            Future.failedFuture(
                new ReplyException(ReplyFailure.TIMEOUT, "no reply from " + address)));
  }

  /** Every message handed to a consumer (or to an address without one), in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized Future<Object> request(String address, JsonObject message) {
    requests.add(new Request(address, message.copy()));
    Supplier<Future<Object>> consumer = consumers.get(address);
    if (consumer == null) {
      return Future.failedFuture(
          new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers for address " + address));
    }
    return consumer.get();
  }
}
