package io.courier.cluster;

import io.courier.config.ConfigKeys;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.impl.OutboundDeliveryContext;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal addresses ({@code courier.internal.*}) and the operator controls ({@code
 * courier.admin.*}) take messages only from Courier nodes: every node seals what it sends there
 * with the cluster secret ({@link MessageSeal}) and drops what arrives there from another member
 * unsealed or badly sealed. A JVM that joins the Hazelcast cluster without the secret, such as a
 * business on the clustered event bus, can still use the business API, whose addresses are neither,
 * and nothing else (docs/cluster.md section 11).
 *
 * <p>Replies are sealed too, where it matters: a node that receives a sealed request from another
 * node seals its reply, and a node that sent a sealed request to another member takes only a sealed
 * reply. Otherwise a member that registered a consumer on an internal address (nothing in Hazelcast
 * stops it) could answer a share of the requests sent there, and a gate would take its answer to a
 * LOGIN as the login role's. A failure passes unsealed, as it can only refuse (among them the
 * refusal of a request from a node with another secret). Both sides remember the reply addresses
 * concerned until the reply, or for at most the request's timeout (requester) or {@value
 * #REPLY_MEMORY_SECONDS} s (replier).
 *
 * <p>A dropped message is counted ({@code courier_cluster_refused_total{reason}}), logged at most
 * once per {@value #LOG_INTERVAL_SECONDS} s with the number dropped meanwhile, and, when it is a
 * request, failed with code {@value #REFUSED_CODE}, so that a node with the wrong secret learns it
 * at once rather than by timeouts. A dropped reply leaves its request to time out.
 *
 * <p>What costs nothing on the hot path: a message to any other address passes after a prefix test
 * (and a reply after a lookup); a message sent with {@code localOnly} (a gate's request to its own
 * node's logic roles) is not sealed, as it never leaves the JVM, nor is its reply; a message
 * delivered from this JVM is not checked.
 *
 * @implNote Whether a message came over the wire and whether it was sent local-only are not in
 *     Vert.x's public API; {@link ClusteredMessage#isFromWire()} and {@link
 *     OutboundDeliveryContext#options} say it (Vert.x 5.0.7). A Vert.x that changed them would seal
 *     or check more (cost) or, should {@code isFromWire} be lost, check nothing: {@code
 *     ClusterIsolationTest} fails then, as a business member would be served on an internal
 *     address.
 */
public final class InternalAddressGuard {
  private static final Logger LOG = LoggerFactory.getLogger(InternalAddressGuard.class);

  /** The failure code of a refused request. */
  static final int REFUSED_CODE = 403;

  static final String REFUSED_METER = "courier.cluster.refused";

  private static final long LOG_INTERVAL_SECONDS = 10;

  /** How long a replier remembers to seal the reply to a request that is not answered. */
  private static final long REPLY_MEMORY_SECONDS = 600;

  /** How often forgotten reply addresses are dropped. */
  private static final long SWEEP_MS = 30_000;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final MessageSeal seal;
  private final LongSupplier nanoClock;
  private final Map<MessageSeal.Verdict, Counter> refused =
      new EnumMap<>(MessageSeal.Verdict.class);
  private final AtomicLong nextLog = new AtomicLong();
  private final AtomicLong unlogged = new AtomicLong();
  private final Handler<DeliveryContext<Object>> outbound = this::outbound;
  private final Handler<DeliveryContext<Object>> inbound = this::inbound;

  /** Reply addresses of sealed requests this node sent, whose reply must be sealed: → deadline. */
  private final Map<String, Long> awaitingSealedReply = new ConcurrentHashMap<>();

  /** Reply addresses of sealed requests this node received, whose reply it seals: → deadline. */
  private final Map<String, Long> sealingReply = new ConcurrentHashMap<>();

  private long sweeper;

  private InternalAddressGuard(
      Vertx vertx, MessageSeal seal, MeterRegistry registry, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.seal = seal;
    this.nanoClock = nanoClock;
    nextLog.set(nanoClock.getAsLong());
    for (MessageSeal.Verdict verdict : MessageSeal.Verdict.values()) {
      if (verdict != MessageSeal.Verdict.VALID) {
        refused.put(
            verdict,
            Counter.builder(REFUSED_METER)
                .description(
                    "messages to courier.internal.* and courier.admin.* from another cluster"
                        + " member dropped for"
                        + " their seal, by reason")
                .tag("reason", verdict.name().toLowerCase())
                .register(registry));
      }
    }
  }

  /**
   * Seals and checks the internal addresses of the clustered {@code vertx} with {@code
   * cluster.secret}. Without the secret a cluster on loopback goes unguarded, with a warning; any
   * other refuses to start.
   *
   * @return the guard, to {@link #remove()} when the node stops; null when unguarded
   * @throws io.courier.config.ConfigException when the secret is missing off loopback
   */
  public static InternalAddressGuard install(
      Vertx vertx, CourierConfig config, MeterRegistry registry) {
    if (config.clusterSecret() == null) {
      if (!HazelcastSetup.bindAddress(config).isLoopbackAddress()) {
        throw ConfigKeys.CLUSTER_SECRET.invalid(
            "must be set on a clustered node whose "
                + ConfigKeys.CLUSTER_HOST.path()
                + " is not a loopback address: without it any JVM that joins the cluster can send"
                + " to courier.internal.* and courier.admin.* as any user (docs/cluster.md"
                + " section 11)");
      }
      LOG.warn(
          "{} is not set: any JVM that joins this cluster can send to courier.internal.* and"
              + " courier.admin.* as any user. Acceptable while the cluster is on loopback only; set it before {}"
              + " names another interface.",
          ConfigKeys.CLUSTER_SECRET.variable(),
          ConfigKeys.CLUSTER_HOST.variable());
      return null;
    }
    InternalAddressGuard guard =
        new InternalAddressGuard(
            vertx,
            new MessageSeal(config.clusterSecret(), System::currentTimeMillis),
            registry,
            System::nanoTime);
    guard.eventBus.addOutboundInterceptor(guard.outbound);
    guard.eventBus.addInboundInterceptor(guard.inbound);
    guard.sweeper = vertx.setPeriodic(SWEEP_MS, id -> guard.sweep());
    return guard;
  }

  /** Stops sealing and checking: the node has stopped. */
  public void remove() {
    vertx.cancelTimer(sweeper);
    eventBus.removeOutboundInterceptor(outbound);
    eventBus.removeInboundInterceptor(inbound);
  }

  private void outbound(DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    String address = message.address();
    String replyAddress = message.replyAddress();
    boolean sealed;
    if (guarded(address)) {
      sealed =
          !(delivery instanceof OutboundDeliveryContext<?> sending
              && sending.options.isLocalOnly());
      if (sealed && replyAddress != null) {
        long timeout =
            delivery instanceof OutboundDeliveryContext<?> sending
                ? sending.options.getSendTimeout()
                : DeliveryOptions.DEFAULT_TIMEOUT;
        awaitingSealedReply.put(
            replyAddress, nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeout + 1_000));
      }
    } else {
      sealed = address.startsWith(Addresses.REPLY_PREFIX) && sealingReply.remove(address) != null;
    }
    if (sealed) {
      message.headers().set(MessageSeal.HEADER, seal.seal(address, replyAddress, delivery.body()));
    }
    delivery.next();
  }

  private void inbound(DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    String address = message.address();
    boolean mustBeSealed;
    if (guarded(address)) {
      mustBeSealed = true;
    } else if (address.startsWith(Addresses.REPLY_PREFIX)) {
      // removed whether or not the reply came over the wire: a local one ends the wait too. A
      // failure passes unsealed: it can only refuse, and a node with another secret learns so
      mustBeSealed =
          awaitingSealedReply.remove(address) != null
              && !(message.body() instanceof ReplyException);
    } else {
      mustBeSealed = false;
    }
    if (!mustBeSealed
        || !(message instanceof ClusteredMessage<?, ?> clustered && clustered.isFromWire())) {
      delivery.next();
      return;
    }
    String replyAddress = message.replyAddress();
    MessageSeal.Verdict verdict =
        seal.verify(
            address, replyAddress, message.body(), message.headers().get(MessageSeal.HEADER));
    if (verdict == MessageSeal.Verdict.VALID) {
      if (replyAddress != null) {
        sealingReply.put(
            replyAddress, nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(REPLY_MEMORY_SECONDS));
      }
      delivery.next();
      return;
    }
    refused.get(verdict).increment();
    log(address, verdict);
    if (replyAddress != null) {
      message.fail(
          REFUSED_CODE,
          address + " takes only messages sealed by a Courier node (" + verdict + " seal)");
    }
  }

  /** Forgets the reply addresses whose reply did not come in time. */
  private void sweep() {
    long now = nanoClock.getAsLong();
    awaitingSealedReply.values().removeIf(deadline -> now - deadline > 0);
    sealingReply.values().removeIf(deadline -> now - deadline > 0);
  }

  /** Whether only Courier nodes may send to {@code address}. */
  static boolean guarded(String address) {
    return address.startsWith(Addresses.INTERNAL_PREFIX)
        || address.startsWith(Addresses.ADMIN_PREFIX);
  }

  private void log(String address, MessageSeal.Verdict verdict) {
    long now = nanoClock.getAsLong();
    long next = nextLog.get();
    if (now - next < 0
        || !nextLog.compareAndSet(next, now + TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS))) {
      unlogged.incrementAndGet();
      return;
    }
    LOG.warn(
        "dropped a message to {} from another cluster member: {} seal ({} more dropped since the"
            + " last such line). Is a JVM without {} in the cluster?",
        address,
        verdict.name().toLowerCase(),
        unlogged.getAndSet(0),
        ConfigKeys.CLUSTER_SECRET.variable());
  }
}
