package io.courier.ops;

import io.courier.contract.Receipts;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.body.PushProvider;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The one place where each step of a message is reported, so that the three views of delivery
 * agree: the metrics ({@code courier_delivery_total{kind, outcome, appcode, msgtype}} and the
 * push-to-ack latency), the windowed arrival counts, the per-logid trace of this node, and the
 * business receipts.
 *
 * <p>The steps and outcomes are those of {@link Step}: an outcome ({@link Step#OUTCOMES}) is
 * counted and traced, another step is traced only. The arrival rate is acked ÷ accepted.
 *
 * <p>The {@code appcode} and {@code msgtype} of the counts are those of {@link DeliveryLabels}: a
 * msgtype not configured for its appcode is counted as {@code other}, so clients cannot add series.
 *
 * <p>Beside the outcomes it counts how each qos-1 message reached its receiver ({@link Reach}, with
 * the time from accept to that moment) and what became of wake-up notifications ({@link
 * NotifyResult}), under the same labels: {@code courier_reach_total}, {@code
 * courier_reach_latency_seconds}, {@code courier_push_notifications_total} and the arrival report.
 *
 * <p>Called for every message from every event loop: an outcome costs a binary search for its
 * labels' slot, an array read, a counter increment, a bucket increment and a trace slot, with no
 * key object; the trace's JSON is only built when someone asks for it. A slot's meter and buckets
 * are made on its first use (a concurrent first use makes the same ones: the registry and the
 * arrival counts return what is already registered).
 */
public final class Tracker {
  private static final int KINDS = Kind.values().length;
  private static final int OUTCOMES = Step.OUTCOMES.size();
  private static final int REACHES = Reach.values().length;
  private static final int RESULTS = NotifyResult.values().length;

  /** By {@link Step#ordinal()}: the step's index in {@link Step#OUTCOMES}, or -1. */
  private static final int[] OUTCOME_INDEX = new int[Step.values().length];

  static {
    Arrays.fill(OUTCOME_INDEX, -1);
    for (int i = 0; i < OUTCOMES; i++) {
      OUTCOME_INDEX[Step.OUTCOMES.get(i).ordinal()] = i;
    }
  }

  private final String node;
  private final MeterRegistry registry;
  private final TraceStore traces;
  private final ArrivalStats arrivals;
  private final Receipts receipts;
  private final LongSupplier clock;
  private final DeliveryLabels labels;
  private final NotifiedMarks marks;

  /** By {@code (slot * KINDS + kind) * OUTCOMES + outcome}; null until first counted. */
  private final AtomicReferenceArray<Counts> counts;

  private final ConcurrentMap<String, Timer> ackLatency = new ConcurrentHashMap<>();

  /** By {@code (slot * KINDS + kind) * REACHES + path}; null until first counted. */
  private final AtomicReferenceArray<Counts> reaches;

  private final Timer[] reachLatency = new Timer[REACHES];

  /** By {@code slot * RESULTS + result}; null until first counted. */
  private final AtomicReferenceArray<ArrivalStats.Buckets> notifications;

  private final ConcurrentMap<String, Counter> notificationTotals = new ConcurrentHashMap<>();

  public Tracker(
      String node,
      MeterRegistry registry,
      TraceStore traces,
      ArrivalStats arrivals,
      DeliveryLabels labels,
      Receipts receipts,
      NotifiedMarks marks,
      LongSupplier clock) {
    this.node = node;
    this.marks = marks;
    this.reaches = new AtomicReferenceArray<>(labels.slots() * KINDS * REACHES);
    this.notifications = new AtomicReferenceArray<>(labels.slots() * RESULTS);
    for (Reach path : Reach.values()) {
      reachLatency[path.ordinal()] =
          Timer.builder("courier.reach.latency")
              .description("time from a qos-1 message's accept to its reaching the receiver")
              .tag("path", path.wire())
              .publishPercentileHistogram()
              .register(registry);
    }
    this.registry = registry;
    this.labels = labels;
    this.counts = new AtomicReferenceArray<>(labels.slots() * KINDS * OUTCOMES);
    this.traces = traces;
    this.arrivals = arrivals;
    this.receipts = receipts;
    this.clock = clock;
  }

  public void accepted(Message message, int qos) {
    // each trace detail captures the fields it shows, never the message: the ring keeps 400,000
    // steps, which must not pin the content of the last 100,000 messages
    String kind = message.kind().wire();
    String fromUid = message.fromUid();
    String toUid = message.toUid();
    int toAppcode = message.toAppcode();
    int msgtype = message.msgtype();
    long msgid = message.msgid();
    outcome(
        message,
        Step.ACCEPTED,
        step ->
            step.put("kind", kind)
                .put("from_uid", fromUid)
                .put("to_uid", toUid)
                .put("to_appcode", toAppcode)
                .put("msgtype", msgtype)
                .put("qos", qos)
                .putId("msgid", msgid));
    if (qos == 1) {
      reached(message, Reach.DUE, -1);
    }
  }

  public void routed(Message message, String toNode) {
    long msgid = message.msgid();
    trace(message.logid(), Step.ROUTED, step -> step.putId("msgid", msgid).put("to_node", toNode));
  }

  /** Written to {@code session}. */
  public void pushed(Message message, String session) {
    outcome(message, Step.PUSHED, atSession(message, session));
    receipts.publish(message, Step.PUSHED);
  }

  public void resent(Message message, String session) {
    trace(message.logid(), Step.RESENT, atSession(message, session));
  }

  /**
   * The receiver acknowledged the PUSH written to {@code session}, {@code pushToAck} after the
   * first write; {@code afterNotification} when the gate had asked for a wake-up notification of
   * it.
   */
  public void acked(
      Message message, String session, Duration pushToAck, boolean afterNotification) {
    long latencyMs = pushToAck.toMillis();
    long msgid = message.msgid();
    outcome(
        message,
        Step.ACKED,
        step -> step.put("session", session).put("latency_ms", latencyMs).putId("msgid", msgid));
    ackLatency
        .computeIfAbsent(
            message.kind().wire(),
            kind ->
                Timer.builder("courier.push.ack")
                    .description("time from a PUSH being written to its ack")
                    .tag("kind", kind)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(pushToAck);
    reached(
        message,
        afterNotification ? Reach.LIVE_AFTER_NOTIFICATION : Reach.LIVE,
        clock.getAsLong() - message.senddate());
  }

  /**
   * The acknowledged message has left the offline store: the business's {@code acked} receipt is
   * published now, so that a business that saw it can rely on the message not coming back through
   * PULL.
   */
  public void ackRecorded(Message message) {
    receipts.publish(message, Step.ACKED);
  }

  public void stored(Message message) {
    outcome(message, Step.STORED, toUid(message));
    receipts.publish(message, Step.STORED);
  }

  /** Pushes of {@code message} went unacknowledged after every retry; it waits offline. */
  public void expired(Message message, String session) {
    outcome(message, Step.EXPIRED, atSession(message, session));
    receipts.publish(message, Step.STORED);
  }

  public void pulled(Message message) {
    outcome(message, Step.PULLED, toUid(message));
    receipts.publish(message, Step.PULLED);
  }

  /**
   * A PULL of {@code (uid, appcode)} returned {@code messages} for the first time: each reached its
   * receiver after a notification if a provider accepted one for the receiver since the message was
   * accepted ({@link NotifiedMarks}). Counted once the mark is read; the PULL does not wait.
   */
  public void reachedByPull(String uid, int appcode, List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    marks
        .last(uid, appcode)
        .otherwise(0L)
        .onSuccess(
            notifiedAt -> {
              long now = clock.getAsLong();
              for (Message message : messages) {
                reached(
                    message,
                    notifiedAt >= message.senddate()
                        ? Reach.PULLED_AFTER_NOTIFICATION
                        : Reach.PULLED_WITHOUT_NOTIFICATION,
                    now - message.senddate());
              }
            });
  }

  /** {@code provider} accepted a wake-up notification of {@code message} for {@code device}. */
  public void notified(Message message, PushProvider provider, String device) {
    long msgid = message.msgid();
    outcome(
        message,
        Step.NOTIFIED,
        step -> step.put("provider", provider.wire()).put("device", device).putId("msgid", msgid));
    notification(message, provider, NotifyResult.SENT);
    marks.mark(message.toUid(), message.toAppcode(), clock.getAsLong());
  }

  /**
   * No provider accepted a wake-up notification of {@code message}: {@code result} says why, {@code
   * reason} in words; {@code provider} and {@code device} are null when no device was tried.
   */
  public void notifyFailed(
      Message message, PushProvider provider, String device, NotifyResult result, String reason) {
    long msgid = message.msgid();
    trace(
        message.logid(),
        Step.NOTIFY_FAILED,
        step -> {
          step.putId("msgid", msgid).put("result", result.wire());
          if (provider != null) {
            step.put("provider", provider.wire()).put("device", device);
          }
          step.put("reason", reason);
        });
    notification(message, provider, result);
  }

  /** The notification of {@code message} was folded into that of the later {@code into}. */
  public void collapsed(Message message, long into) {
    long msgid = message.msgid();
    trace(message.logid(), Step.COLLAPSED, step -> step.putId("msgid", msgid).putId("into", into));
    notification(message, null, NotifyResult.COLLAPSED);
  }

  /**
   * A C2S message was handed to a business consumer on {@code address}, with the client's answer
   * {@code code}.
   */
  public void handed(String logid, long msgid, String address, Code code) {
    trace(
        logid,
        code == Code.OK ? Step.HANDED : Step.FAILED,
        step -> result(step.putId("msgid", msgid).put("address", address), code, null));
  }

  public void failed(String logid, Code code, String why) {
    trace(logid, Step.FAILED, step -> result(step, code, why));
  }

  private void outcome(Message message, Step outcome, TraceStore.Detail detail) {
    long now = clock.getAsLong();
    int slot = labels.slot(message.toAppcode(), message.msgtype());
    int index =
        (slot * KINDS + message.kind().ordinal()) * OUTCOMES + OUTCOME_INDEX[outcome.ordinal()];
    Counts counted = counts.get(index);
    if (counted == null) {
      counted = countsOf(slot, message.kind(), outcome);
      counts.set(index, counted);
    }
    counted.total().increment();
    counted.recent().count(now);
    traces.record(message.logid(), now, node, outcome, detail);
  }

  private Counts countsOf(int slot, Kind kind, Step outcome) {
    ArrivalStats.Key key =
        new ArrivalStats.Key(kind.wire(), labels.appcode(slot), labels.msgtype(slot), outcome);
    Counter total =
        Counter.builder("courier.delivery")
            .description("messages by kind, outcome, receiver appcode and msgtype")
            .tag("kind", key.kind())
            .tag("outcome", key.outcome().wire())
            .tag("appcode", key.appcode())
            .tag("msgtype", key.msgtype())
            .register(registry);
    return new Counts(total, arrivals.of(key));
  }

  /** Counts {@code message} as reached by {@code path}, {@code latencyMs} after its accept. */
  private void reached(Message message, Reach path, long latencyMs) {
    long now = clock.getAsLong();
    int slot = labels.slot(message.toAppcode(), message.msgtype());
    int index = (slot * KINDS + message.kind().ordinal()) * REACHES + path.ordinal();
    Counts counted = reaches.get(index);
    if (counted == null) {
      counted = reachCountsOf(slot, message.kind(), path);
      reaches.set(index, counted);
    }
    counted.total().increment();
    if (path == Reach.DUE) {
      counted.recent().count(now);
    } else {
      long ms = Math.max(0, latencyMs);
      counted.recent().count(now, ms);
      reachLatency[path.ordinal()].record(Duration.ofMillis(ms));
    }
  }

  private Counts reachCountsOf(int slot, Kind kind, Reach path) {
    Counter total =
        Counter.builder("courier.reach")
            .description("qos-1 messages by how they reached their receiver (due: accepted)")
            .tag("kind", kind.wire())
            .tag("path", path.wire())
            .tag("appcode", labels.appcode(slot))
            .tag("msgtype", labels.msgtype(slot))
            .register(registry);
    return new Counts(
        total,
        arrivals.of(
            new ArrivalStats.Tally(
                labels.appcode(slot), labels.msgtype(slot), ArrivalStats.REACH, path.wire())));
  }

  private void notification(Message message, PushProvider provider, NotifyResult result) {
    String providerName = provider == null ? "none" : provider.wire();
    notificationTotals
        .computeIfAbsent(
            providerName + ":" + result.wire(),
            name ->
                Counter.builder("courier.push.notifications")
                    .description("wake-up notifications by provider and result")
                    .tag("provider", providerName)
                    .tag("result", result.wire())
                    .register(registry))
        .increment();
    int slot = labels.slot(message.toAppcode(), message.msgtype());
    int index = slot * RESULTS + result.ordinal();
    ArrivalStats.Buckets recent = notifications.get(index);
    if (recent == null) {
      recent =
          arrivals.of(
              new ArrivalStats.Tally(
                  labels.appcode(slot),
                  labels.msgtype(slot),
                  ArrivalStats.NOTIFICATIONS,
                  result.wire()));
      notifications.set(index, recent);
    }
    recent.count(clock.getAsLong());
  }

  private void trace(String logid, Step step, TraceStore.Detail detail) {
    traces.record(logid, clock.getAsLong(), node, step, detail);
  }

  /** A result in a step, as {@link Result#writeTo} writes it in an answer. */
  private static void result(TraceStore.Fields step, Code code, String why) {
    step.put("code", code.value());
    if (why != null) {
      step.put("msg", why);
    }
  }

  private static TraceStore.Detail atSession(Message message, String session) {
    long msgid = message.msgid();
    return step -> step.put("session", session).putId("msgid", msgid);
  }

  private static TraceStore.Detail toUid(Message message) {
    String toUid = message.toUid();
    long msgid = message.msgid();
    return step -> step.put("to_uid", toUid).putId("msgid", msgid);
  }

  /** The metric and the arrival buckets of one (kind, appcode, msgtype, outcome or reach path). */
  private record Counts(Counter total, ArrivalStats.Buckets recent) {}
}
