package io.courier.gate;

import io.courier.contract.Addresses;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sends a session's commands to the logic roles over the event bus (wherever in the cluster they
 * run) and maps a failed request to its code: no logic role reachable → 503, no answer in time →
 * 504.
 */
final class LogicClient implements SessionCommands {
  private static final Map<Command, String> ADDRESSES = new EnumMap<>(Command.class);

  static {
    ADDRESSES.put(Command.C2C, Addresses.C2C);
    ADDRESSES.put(Command.C2S, Addresses.C2S);
    ADDRESSES.put(Command.PULL, Addresses.PULL);
    ADDRESSES.put(Command.OFFLINE_ACK, Addresses.OFFLINE_ACK);
    ADDRESSES.put(Command.HISTORY, Addresses.HISTORY);
  }

  private final EventBus eventBus;
  private final DeliveryOptions options;

  LogicClient(EventBus eventBus, DeliveryOptions options) {
    this.eventBus = eventBus;
    this.options = options;
  }

  @Override
  public Future<JsonObject> handle(SessionRef session, Command command, JsonObject body) {
    String address = ADDRESSES.get(command);
    if (address == null) {
      throw new IllegalArgumentException(command + " is not a session command");
    }
    return eventBus
        .<JsonObject>request(address, new SessionRequest(session, body).toJson(), options)
        .map(Message::body)
        .otherwise(failure -> Reply.error(Reply.codeOf(failure), null));
  }
}
