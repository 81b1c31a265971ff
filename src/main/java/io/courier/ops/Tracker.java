package io.courier.ops;

import io.courier.contract.Receipts;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The one place where each step of a message is reported, so that the three views of delivery agree: the
 * metrics ({@code courier_delivery_total{kind, outcome, appcode, msgtype}} and the push-to-ack latency), the
 * windowed arrival counts, the per-logid trace of this node, and the business receipts.
 *
 * <p>Outcomes: {@code accepted} (the platform took it: durable for qos 1), {@code pushed} (written to the
 * receiver's connection), {@code acked} (the receiver acknowledged the PUSH), {@code stored} (it waits in the
 * offline store: receiver offline or not reachable), {@code pulled} (returned by PULL), {@code expired}
 * (pushes unacknowledged after every retry; it waits offline). The arrival rate is acked ÷ accepted.
 * Steps that are not outcomes ({@code routed}, {@code resent}, {@code failed}) are traced only.
 */
public final class Tracker {
  public static final String ACCEPTED = "accepted";
  public static final String PUSHED = "pushed";
  public static final String ACKED = "acked";
  public static final String STORED = "stored";
  public static final String PULLED = "pulled";
  public static final String EXPIRED = "expired";

  private final String node;
  private final MeterRegistry registry;
  private final TraceStore traces;
  private final ArrivalStats arrivals;
  private final Receipts receipts;
  private final LongSupplier clock;
  private final ConcurrentMap<ArrivalStats.Key, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> ackLatency = new ConcurrentHashMap<>();

  public Tracker(String node, MeterRegistry registry, TraceStore traces, ArrivalStats arrivals, Receipts receipts,
                 LongSupplier clock) {
    this.node = node;
    this.registry = registry;
    this.traces = traces;
    this.arrivals = arrivals;
    this.receipts = receipts;
    this.clock = clock;
  }

  public void accepted(Message message, int qos) {
    outcome(message.kind().wire(), message.toAppcode(), message.msgtype(), ACCEPTED, message.logid(),
      message.msgid(), detailOf(message).put("qos", qos));
  }

  public void routed(Message message, String toNode) {
    trace(message.logid(), "routed", new JsonObject().put("msgid", Long.toString(message.msgid())).put("to_node", toNode));
  }

  /** Written to {@code session}; {@code push} is a PUSH body. */
  public void pushed(JsonObject push, String session) {
    long msgid = Long.parseLong(push.getString("msgid"));
    outcome(push.getString("kind"), push.getInteger("to_appcode"), push.getInteger("msgtype"), PUSHED,
      push.getString("logid"), msgid, new JsonObject().put("session", session));
    receipts.publish(msgid, push.getString("to_uid"), push.getInteger("to_appcode"), Receipts.PUSHED);
  }

  public void resent(JsonObject push, String session) {
    trace(push.getString("logid"), "resent", new JsonObject().put("msgid", push.getString("msgid")).put("session", session));
  }

  public void acked(JsonObject push, String session, Duration pushToAck) {
    String kind = push.getString("kind");
    outcome(kind, push.getInteger("to_appcode"), push.getInteger("msgtype"), ACKED, push.getString("logid"),
      Long.parseLong(push.getString("msgid")), new JsonObject().put("session", session)
        .put("latency_ms", pushToAck.toMillis()));
    ackLatency.computeIfAbsent(kind, k -> Timer.builder("courier.push.ack")
      .description("time from a PUSH being written to its ack")
      .tag("kind", k)
      .publishPercentileHistogram()
      .register(registry)).record(pushToAck);
  }

  /**
   * The acknowledged message has left the offline store: the business's {@code acked} receipt is published
   * now, so that a business that saw it can rely on the message not coming back through PULL.
   */
  public void ackRecorded(Message message) {
    receipts.publish(message, Receipts.ACKED);
  }

  public void stored(Message message) {
    outcome(message.kind().wire(), message.toAppcode(), message.msgtype(), STORED, message.logid(), message.msgid(),
      new JsonObject().put("to_uid", message.toUid()));
    receipts.publish(message, Receipts.STORED);
  }

  /** Pushes of {@code push} went unacknowledged after every retry; it waits offline. */
  public void expired(JsonObject push, String session) {
    long msgid = Long.parseLong(push.getString("msgid"));
    outcome(push.getString("kind"), push.getInteger("to_appcode"), push.getInteger("msgtype"), EXPIRED,
      push.getString("logid"), msgid, new JsonObject().put("session", session));
    receipts.publish(msgid, push.getString("to_uid"), push.getInteger("to_appcode"), Receipts.STORED);
  }

  public void pulled(Message message) {
    outcome(message.kind().wire(), message.toAppcode(), message.msgtype(), PULLED, message.logid(), message.msgid(),
      new JsonObject().put("to_uid", message.toUid()));
    receipts.publish(message, Receipts.PULLED);
  }

  /** A C2S message was handed to a business consumer on {@code address}, with the client's answer {@code code}. */
  public void handed(String logid, long msgid, String address, Code code) {
    trace(logid, code == Code.OK ? "handed" : "failed", new JsonObject().put("msgid", Long.toString(msgid))
      .put("address", address).put("code", code.value()));
  }

  public void failed(String logid, Code code, String why) {
    trace(logid, "failed", new JsonObject().put("code", code.value()).put("msg", why));
  }

  private void outcome(String kind, int appcode, int msgtype, String outcome, String logid, long msgid,
                       JsonObject detail) {
    ArrivalStats.Key key = new ArrivalStats.Key(kind, appcode, msgtype, outcome);
    counters.computeIfAbsent(key, k -> Counter
      .builder("courier.delivery")
      .description("messages by kind, outcome, receiver appcode and msgtype")
      .tag("kind", kind)
      .tag("outcome", outcome)
      .tag("appcode", Integer.toString(appcode))
      .tag("msgtype", Integer.toString(msgtype))
      .register(registry)).increment();
    arrivals.count(key, clock.getAsLong());
    trace(logid, outcome, detail.put("msgid", Long.toString(msgid)));
  }

  private void trace(String logid, String step, JsonObject detail) {
    traces.record(logid, clock.getAsLong(), node, step, detail);
  }

  private static JsonObject detailOf(Message message) {
    return new JsonObject()
      .put("kind", message.kind().wire())
      .put("from_uid", message.fromUid())
      .put("to_uid", message.toUid())
      .put("to_appcode", message.toAppcode())
      .put("msgtype", message.msgtype());
  }
}
