package io.courier.routing;

import io.courier.contract.Addresses;
import io.courier.contract.Reply;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The offline role: binds {@link Offline} (PULL, OFFLINE_ACK, HISTORY, push acks) to the event bus.
 */
public final class OfflineVerticle extends VerticleBase {
  private final MessageStore store;
  private final Tracker tracker;

  public OfflineVerticle(MessageStore store, Tracker tracker) {
    this.store = store;
    this.tracker = tracker;
  }

  @Override
  public Future<?> start() {
    Offline offline = new Offline(store, tracker);
    return Future.all(
        List.of(
            bind(Addresses.PULL, offline::pull),
            bind(Addresses.OFFLINE_ACK, offline::offlineAck),
            bind(Addresses.HISTORY, offline::history),
            vertx
                .eventBus()
                .<JsonObject>consumer(
                    Addresses.ACKED, ack -> offline.acked(Message.fromPushBody(ack.body())))
                .completion()));
  }

  private Future<Void> bind(String address, Function<SessionRequest, Future<JsonObject>> handler) {
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            address,
            message ->
                handler
                    .apply(SessionRequest.fromJson(message.body()))
                    .onComplete(
                        done ->
                            message.reply(
                                done.succeeded()
                                    ? done.result()
                                    : Reply.error(Code.INTERNAL, null))))
        .completion();
  }
}
