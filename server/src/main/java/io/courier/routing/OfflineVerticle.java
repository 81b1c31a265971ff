package io.courier.routing;

import io.courier.contract.Addresses;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Result;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline role: binds {@link Offline} (PULL, OFFLINE_ACK, HISTORY, push acks) to the event bus.
 */
public final class OfflineVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineVerticle.class);

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
            bind(Addresses.CONVERSATIONS, offline::conversations),
            vertx
                .eventBus()
                .<JsonObject>consumer(Addresses.ACKED, ack -> acked(offline, ack.body()))
                .completion()));
  }

  /**
   * A gate's notice that a qos-1 PUSH was acknowledged, {@code pushBody} being its message; a
   * notice that cannot be read leaves the message offline, where PULL still finds it.
   */
  private static void acked(Offline offline, JsonObject pushBody) {
    try {
      offline.acked(Message.fromPushBody(pushBody));
    } catch (MalformedBodyException e) {
      LOG.warn("ack notice not read, the message stays offline: {}", e.getMessage());
    }
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
                                    : Result.error(Code.INTERNAL, null).toJson())))
        .completion();
  }
}
