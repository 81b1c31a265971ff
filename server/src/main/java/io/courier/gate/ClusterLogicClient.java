package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.config.Role;
import io.courier.contract.Addresses;
import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.contract.TokenGrant;
import io.courier.message.Message;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Command;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reaches the logic roles over the event bus, wherever in the cluster they run, and maps a failed
 * command to its code: no logic role reachable → 503, no answer in time → 504.
 *
 * <p>The presence of an ended session is removed by the gate itself, straight in the presence
 * store: the gate knows when its connection ends, and the record must go even when no logic role
 * answers.
 *
 * <p>A C2S of a gate whose node runs the logic role too is handed to routing as the request record
 * itself, without its JSON ({@link SessionRequest#localOnly}): C2S is the one session command sent
 * at GPS rates. Every other command, and every command of a gate without the logic role, travels as
 * JSON.
 */
final class ClusterLogicClient implements LogicClient {
  private static final Map<Command, String> ADDRESSES = new EnumMap<>(Command.class);

  static {
    ADDRESSES.put(Command.C2C, Addresses.C2C);
    ADDRESSES.put(Command.C2G, Addresses.C2G);
    ADDRESSES.put(Command.C2S, Addresses.C2S);
    ADDRESSES.put(Command.PULL, Addresses.PULL);
    ADDRESSES.put(Command.OFFLINE_ACK, Addresses.OFFLINE_ACK);
    ADDRESSES.put(Command.HISTORY, Addresses.HISTORY);
    ADDRESSES.put(Command.READ, Addresses.READ);
    ADDRESSES.put(Command.CONVERSATIONS, Addresses.CONVERSATIONS);
    ADDRESSES.put(Command.PUSH_REGISTER, Addresses.PUSH_REGISTER);
  }

  private final EventBus eventBus;
  private final DeliveryOptions options;

  /** The options of a C2S handed over as the record, or null when requests leave the node. */
  private final DeliveryOptions c2sOptions;

  private final PresenceStore presence;

  ClusterLogicClient(EventBus eventBus, CourierConfig config, PresenceStore presence) {
    this.eventBus = eventBus;
    this.options = requestOptions(config);
    this.c2sOptions = options.isLocalOnly() ? SessionRequest.localOnly(eventBus, options) : null;
    this.presence = presence;
  }

  /**
   * Options of a request from a gate to a logic verticle, built once per gate: its timeout, and,
   * when this node runs the logic role too, local delivery only — no network hop, and no request
   * sent to another node that may have just died while the cluster still lists its consumers.
   */
  private static DeliveryOptions requestOptions(CourierConfig config) {
    return new DeliveryOptions()
        .setSendTimeout(config.requestTimeout().toMillis())
        .setLocalOnly(config.hasRole(Role.LOGIC));
  }

  @Override
  public Future<TokenGrant> login(LoginRequest request) {
    return eventBus
        .<JsonObject>request(Addresses.LOGIN, request.toJson(), options)
        .map(reply -> TokenGrant.fromJson(reply.body()));
  }

  @Override
  public Future<TokenGrant> refresh(RefreshRequest request) {
    return eventBus
        .<JsonObject>request(Addresses.REFRESH, request.toJson(), options)
        .map(reply -> TokenGrant.fromJson(reply.body()));
  }

  @Override
  public Future<JsonObject> handle(SessionRef session, Command command, JsonObject body) {
    String address = ADDRESSES.get(command);
    if (address == null) {
      throw new IllegalArgumentException(command + " is not a session command");
    }
    SessionRequest request = new SessionRequest(session, body);
    Future<io.vertx.core.eventbus.Message<JsonObject>> sent =
        command == Command.C2S && c2sOptions != null
            ? eventBus.request(address, request, c2sOptions)
            : eventBus.request(address, request.toJson(), options);
    return sent.map(reply -> reply.body())
        .otherwise(failure -> Result.error(Reply.codeOf(failure), null).toJson());
  }

  @Override
  public void acked(Message message) {
    eventBus.send(Addresses.ACKED, message.toBusBody());
  }

  /**
   * One send to one push role, so one notification per message: local when this node runs the logic
   * role (the push role runs with it), else any node's.
   */
  @Override
  public void unacked(Message message) {
    // a wake-up names the addressed receiver: a copy for another terminal (a sync copy names the
    // peer) would wake the wrong device
    if (message.addressed()) {
      eventBus.send(Addresses.PUSH_UNACKED, message.toBusBody(), options);
    }
  }

  @Override
  public Future<Boolean> removePresence(SessionRef session) {
    return presence.remove(session);
  }
}
