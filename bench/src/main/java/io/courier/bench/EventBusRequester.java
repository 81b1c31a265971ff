package io.courier.bench;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Requests on the clustered event bus of a {@link ClusterMember}, as a business JVM sends them: a
 * {@code JsonObject} body, the bench's request timeout as the send timeout. Failures are Vert.x's
 * {@link io.vertx.core.eventbus.ReplyException} ({@code NO_HANDLERS}, {@code TIMEOUT} …).
 */
final class EventBusRequester implements Requester {
  private final EventBus eventBus;
  private final DeliveryOptions options;
  private final ClusterMember member;

  EventBusRequester(ClusterMember member, long requestTimeoutMs) {
    this.member = member;
    this.eventBus = member.vertx().eventBus();
    this.options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
  }

  @Override
  public Future<JsonObject> request(String address, JsonObject body) {
    return eventBus.<JsonObject>request(address, body, options).map(Message::body);
  }

  /** True once the member has left the cluster. */
  @Override
  public boolean isClosed() {
    return member.hasLeft();
  }
}
