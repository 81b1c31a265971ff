package io.courier.testkit.fakes;

import io.courier.cluster.MsgIdGenerator;
import io.courier.config.CourierConfig;
import io.courier.config.MetricMsgtypes;
import io.courier.contract.Receipts;
import io.courier.contract.SessionRef;
import io.courier.ops.ArrivalStats;
import io.courier.ops.DeliveryLabels;
import io.courier.ops.NotifiedMarks;
import io.courier.ops.TraceStore;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.courier.routing.C2sOutboxLink;
import io.courier.routing.C2sOutboxMeter;
import io.courier.routing.Delivery;
import io.courier.routing.PushTransport;
import io.courier.routing.Routing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Routing} and {@link Delivery} as the routing verticle wires them, on fakes: an {@link
 * InMemoryMessageStore}, an {@link InMemoryPresenceStore}, a {@link RecordingPushTransport}, {@link
 * ScriptedBusinessConsumers}, a {@link RecordingNotifier} and a {@link FixedClock}, with the
 * default configuration (apps 101, 102, 103, 201, 301; content up to 16384 bytes).
 *
 * <p>The tracker is real: what it traces is read back with {@link #steps}. Its receipts need an
 * event bus, hence the {@code Vertx}; nothing else of Vert.x is used.
 */
public final class RoutingFixture {
  public static final String NODE = "node-routing";

  /** The cap of qos-1 C2S messages one sender may have waiting. */
  public static final int MAX_WAITING_C2S = 3;

  private final FixedClock clock = new FixedClock();
  private final InMemoryMessageStore store = new InMemoryMessageStore();
  private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
  private final RecordingPushTransport transport = new RecordingPushTransport();
  private final ScriptedBusinessConsumers consumers = new ScriptedBusinessConsumers();
  private final RecordingNotifier notifier = new RecordingNotifier();
  private final InMemoryC2sOutbox c2sOutbox = new InMemoryC2sOutbox();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private int drainerWakes;
  private final TraceStore traces = new TraceStore(10_000, 3_600_000);
  private final Delivery delivery;
  private final Routing routing;

  private final Tracker tracker;

  public RoutingFixture(Vertx vertx) {
    tracker =
        new Tracker(
            NODE,
            registry,
            traces,
            new ArrivalStats(),
            new DeliveryLabels(Set.of(), MetricMsgtypes.none()),
            new Receipts(vertx.eventBus()),
            NotifiedMarks.inMemory(),
            clock);
    delivery = new Delivery(presence, transport, tracker);
    routing =
        new Routing(
            CourierConfig.from(new JsonObject(), Map.of()),
            store,
            delivery,
            new MsgIdGenerator(1, clock, 0),
            tracker,
            consumers,
            notifier,
            new C2sOutboxLink(c2sOutbox, new C2sOutboxMeter(registry), this::wake, MAX_WAITING_C2S),
            clock);
  }

  private synchronized void wake() {
    drainerWakes++;
  }

  /** How many times routing woke the drainer (it does when it stores a C2S). */
  public synchronized int drainerWakes() {
    return drainerWakes;
  }

  public InMemoryC2sOutbox c2sOutbox() {
    return c2sOutbox;
  }

  /** The node's meters: the tracker's and the C2S outbox's. */
  public SimpleMeterRegistry registry() {
    return registry;
  }

  public Routing routing() {
    return routing;
  }

  public Delivery delivery() {
    return delivery;
  }

  /** A delivery through {@code presence} and {@code transport}, tracked as this fixture's. */
  public Delivery delivery(PresenceStore presence, PushTransport transport) {
    return new Delivery(presence, transport, tracker);
  }

  public FixedClock clock() {
    return clock;
  }

  public InMemoryMessageStore store() {
    return store;
  }

  public InMemoryPresenceStore presence() {
    return presence;
  }

  public RecordingPushTransport transport() {
    return transport;
  }

  public ScriptedBusinessConsumers consumers() {
    return consumers;
  }

  /** What routing handed over for offline push. */
  public RecordingNotifier notifier() {
    return notifier;
  }

  /** Logs {@code (uid, appcode)} in on {@code node}; the session is named {@code uid@appcode}. */
  public SessionRef online(String uid, int appcode, String node) {
    SessionRef session = new SessionRef(uid, appcode, node, uid + "@" + appcode, clock.getAsLong());
    Await.result(presence.put(session));
    return session;
  }

  /** The names of the steps this node traced for {@code logid}, in order. */
  public List<String> steps(String logid) {
    return traces.steps(logid, clock.getAsLong()).stream()
        .map(step -> ((JsonObject) step).getString("step"))
        .toList();
  }
}
