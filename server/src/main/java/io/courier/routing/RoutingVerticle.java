package io.courier.routing;

import io.courier.cluster.ClusterMembers;
import io.courier.cluster.MsgIdGenerator;
import io.courier.cluster.NodeRequests;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.contract.LocalRouting;
import io.courier.contract.Receipts;
import io.courier.contract.SessionRequest;
import io.courier.gate.LocalSessions;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.MessageLimits;
import io.courier.protocol.body.PresenceReply;
import io.courier.protocol.body.PresenceRequest;
import io.courier.protocol.body.Result;
import io.courier.push.Notifier;
import io.courier.store.MessageStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The routing role: binds the message flows ({@link Routing}), groups ({@link Groups}) and the
 * presence query to the event bus — the business API ({@code courier.s2c}, {@code
 * courier.s2c.multi}, {@code courier.presence}, {@code courier.group.*}) and the gates' internal
 * C2C, C2G, C2S and READ addresses.
 *
 * <p>A push batch for another node's gate goes through {@link NodeRequests}: it is not sent to a
 * node that has left the cluster, and fails as soon as its node leaves, so that a {@code
 * courier.s2c} to a user of a node that has just died is answered {@code stored} within about a
 * second of the crash rather than after the whole request timeout.
 *
 * <p>Each instance also lists its {@code courier.s2c} and {@code courier.s2c.multi} handlers in the
 * node's {@link LocalRouting} once its consumers are registered: the business bridge on this node
 * calls them there, on this instance's context, without an event-bus request per push.
 *
 * @implNote The consumers are the ordinary cluster-wide ones: the business bridge on this node
 *     reaches the other addresses with local delivery ({@code io.courier.bridge.NodeLocalBus}), and
 *     so does the gate on a node that runs both roles; other nodes' gates and JVM businesses reach
 *     them through the cluster. Rejected: a second set of {@code localConsumer} registrations under
 *     node-local addresses, which would only duplicate what local delivery already selects.
 */
public final class RoutingVerticle extends VerticleBase {
  private final CourierConfig config;
  private final MessageStore store;
  private final PresenceStore presence;
  private final MsgIdGenerator ids;
  private final Tracker tracker;
  private final LocalSessions localGate;
  private final HazelcastClusterManager clusterManager;
  private final Notifier notifier;
  private final C2sOutboxLink c2sOutbox;
  private final LocalRouting local;
  private ClusterMembers members;
  private LocalRouting.Instance served;

  /**
   * @param localGate the sessions of this node's gate when the node also runs the gate role, else
   *     null: pushes to them skip the event bus (no copy of the batch, no request and reply)
   * @param clusterManager the cluster manager when the node is clustered, else null
   * @param notifier where messages stored for a receiver without a connection go (offline push)
   * @param c2sOutbox where qos-1 C2S messages no consumer accepted wait, and the cmids of C2S
   * @param local where this instance lists its push handlers for the bridge on this node
   */
  public RoutingVerticle(
      CourierConfig config,
      MessageStore store,
      PresenceStore presence,
      MsgIdGenerator ids,
      Tracker tracker,
      LocalSessions localGate,
      HazelcastClusterManager clusterManager,
      Notifier notifier,
      C2sOutboxLink c2sOutbox,
      LocalRouting local) {
    this.local = local;
    this.notifier = notifier;
    this.c2sOutbox = c2sOutbox;
    this.config = config;
    this.store = store;
    this.presence = presence;
    this.ids = ids;
    this.tracker = tracker;
    this.localGate = localGate;
    this.clusterManager = clusterManager;
  }

  @Override
  public Future<?> start() {
    EventBus eventBus = vertx.eventBus();
    DeliveryOptions gateOptions =
        new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
    DeliveryOptions c2sOptions =
        new DeliveryOptions().setSendTimeout(config.c2sTimeout().toMillis());
    if (clusterManager != null) {
      members = ClusterMembers.follow(clusterManager, context);
    }
    Delivery delivery = new Delivery(presence, pushTransport(gateOptions), tracker);
    Routing routing =
        new Routing(
            config,
            store,
            delivery,
            ids,
            tracker,
            (address, message) -> eventBus.request(address, message, c2sOptions).map(Message::body),
            notifier,
            c2sOutbox,
            System::currentTimeMillis);
    MessageLimits limits = new MessageLimits(config.maxContentBytes(), config.apps()::contains);
    Reads reads =
        new Reads(
            config.systems(),
            store,
            delivery,
            ids,
            new Receipts(eventBus),
            limits,
            System::currentTimeMillis);
    Groups groups = new Groups(store, ids, limits, config.groupMaxMembers());
    served = new Served(context, routing);
    return Future.all(
            List.of(
                bind(Addresses.C2C, body -> routing.c2c(SessionRequest.fromJson(body))),
                bind(Addresses.C2G, body -> routing.c2g(SessionRequest.fromJson(body))),
                bind(Addresses.GROUP_CREATE, groups::create),
                bind(Addresses.GROUP_MEMBERS, groups::members),
                bind(Addresses.GROUP_CLOSE, groups::close),
                bind(Addresses.GROUP_INFO, groups::info),
                bind(Addresses.READ, body -> reads.read(SessionRequest.fromJson(body))),
                bindSession(Addresses.C2S, routing::c2s),
                bind(Addresses.S2C, routing::s2c),
                bind(Addresses.S2C_MULTI, routing::s2cMulti),
                bind(Addresses.PRESENCE, this::presence)))
        .onSuccess(bound -> local.add(served));
  }

  /** This instance's push handlers as the bridge on this node calls them. */
  private record Served(Context context, Routing routing) implements LocalRouting.Instance {
    @Override
    public Future<JsonObject> serve(String address, JsonObject body) {
      Future<JsonObject> handled =
          address.equals(Addresses.S2C) ? routing.s2c(body) : routing.s2cMulti(body);
      return handled.transform(done -> Future.succeededFuture(answer(done)));
    }
  }

  /**
   * Pushes to this node's own gate directly; to another node's over the event bus, through {@link
   * NodeRequests} when clustered.
   */
  private PushTransport pushTransport(DeliveryOptions gateOptions) {
    PushTransport overTheBus =
        (node, items) ->
            vertx
                .eventBus()
                .<JsonObject>request(Addresses.gate(node), GateCommand.push(items), gateOptions)
                .map(reply -> GateCommand.PushResults.fromJson(reply.body()).results());
    NodeRequests toNodes = members == null ? null : members.requests();
    return (node, items) -> {
      if (localGate != null && node.equals(localGate.node())) {
        return localGate.push(items);
      }
      return toNodes == null
          ? overTheBus.push(node, items)
          : toNodes.send(node, () -> overTheBus.push(node, items));
    };
  }

  @Override
  public Future<?> stop() {
    local.remove(served);
    if (members != null) {
      members.stop();
    }
    return Future.succeededFuture();
  }

  private Future<JsonObject> presence(JsonObject body) {
    PresenceRequest request;
    try {
      request = PresenceRequest.fromJson(body);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return presence
        .sessions(request.uid())
        .map(
            sessions ->
                new PresenceReply(
                        sessions.stream()
                            .map(
                                session ->
                                    new PresenceReply.Entry(
                                        session.appcode(), session.node(), session.since()))
                            .toList())
                    .toJson())
        .otherwise(e -> Result.error(Code.UNAVAILABLE, "presence store unavailable").toJson());
  }

  /**
   * Replies to every request on {@code address} with what {@code handler} answers; a body that is
   * not a JSON object gets 400.
   */
  private Future<Void> bind(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return consume(
        address, body -> body instanceof JsonObject, body -> handler.apply((JsonObject) body));
  }

  /**
   * Like {@link #bind}, for a session address whose request comes as JSON from any gate or as the
   * record itself from this node's ({@link SessionRequest#localOnly}).
   */
  private Future<Void> bindSession(
      String address, Function<SessionRequest, Future<JsonObject>> handler) {
    return consume(
        address,
        body -> body instanceof JsonObject || body instanceof SessionRequest,
        body -> handler.apply(SessionRequest.of(body)));
  }

  /** The consumer of {@link #bind} and {@link #bindSession}: 400 for a body not {@code taken}. */
  private Future<Void> consume(
      String address, Predicate<Object> taken, Function<Object, Future<JsonObject>> handler) {
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .consumer(
                address,
                message -> {
                  if (!taken.test(message.body())) {
                    message.reply(
                        Result.error(Code.BAD_REQUEST, "body must be a JSON object").toJson());
                    return;
                  }
                  handler.apply(message.body()).onComplete(done -> message.reply(answer(done)));
                });
    return consumer.completion();
  }

  /** What a request is answered: the handler's answer, or 500 if it failed. */
  private static JsonObject answer(AsyncResult<JsonObject> done) {
    return done.succeeded() ? done.result() : Result.error(Code.INTERNAL, null).toJson();
  }
}
