package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code bench s2c}: a business pushes through {@code courier.s2c} to online receivers, over the
 * TCP bridge or from a member of the node's cluster ({@link S2cSenders}).
 */
final class S2cBench {
  private final BenchRun run;
  private final int receivers;
  private final int appcode;
  private final int qos;
  private final int contentBytes;
  private final boolean ackEveryPush;

  private final DeliveryLedger ledger = new DeliveryLedger();
  private final Latency deliveryLatency = new Latency();
  private final Latency replyLatency = new Latency();
  private final Outcomes outcomes = new Outcomes();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acksWritten = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder kicks = new LongAdder();
  private final AtomicLong nextReceiver = new AtomicLong();
  private final Warmup warmup = new Warmup();
  private final Meter acceptedMeter = new Meter();
  private final Meter deliveredMeter = new Meter();
  private final Meter ackedMeter = new Meter();
  private List<String> uids;

  private S2cBench(BenchRun run) {
    this.run = run;
    BenchOptions o = run.options;
    this.receivers = o.integer(RECEIVERS);
    this.appcode = o.integer(APPCODE);
    this.qos = o.integer(QOS);
    this.contentBytes = o.integer(CONTENT_BYTES);
    this.ackEveryPush = o.flag(ACK_EVERY_PUSH);
  }

  private int baselineWindow(int scenarioWindow) {
    int asked = run.options.integer(BASELINE_WINDOW);
    return asked > 0 ? asked : scenarioWindow;
  }

  static Report run(BenchRun run) {
    return new S2cBench(run).measure();
  }

  private Report measure() {
    BenchOptions o = run.options;
    int senderCount = o.integer(SENDERS);
    int window = o.integer(WINDOW);
    int offset = o.integer(UID_OFFSET);
    Duration duration = Duration.ofSeconds(o.integer(DURATION));
    long messages = o.integer(MESSAGES);
    SourcePlan.checkCount(receivers + senderCount);
    if (o.flag(WITH_BASELINE) || o.flag(WITH_MQTT)) {
      SourcePlan.checkCount(2 * receivers);
    }
    Report report = new Report(Scenario.S2C, o);

    uids = new ArrayList<>(receivers);
    for (int i = 0; i < receivers; i++) {
      uids.add("s2c-" + (offset + i));
    }
    Fleet fleet = run.fleet(receivers, offset);
    S2cSenders senders = null;
    try {
      run.progress("s2c: logging in %,d receivers (appcode %d)", receivers, appcode);
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                uids,
                appcode,
                run.signer(appcode),
                o.integer(CONCURRENCY),
                this::onServerFrame,
                BenchRun.setupDeadline(receivers));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      long online = members.stream().filter(m -> m != null).count();
      run.progress("s2c: %,d of %,d receivers online", online, receivers);
      senders = S2cSenders.open(run, SenderKind.of(o.string(SENDER)), senderCount);

      AtomicLong budget = new AtomicLong(messages > 0 ? messages : Long.MAX_VALUE);
      List<WindowedSender> sending = new ArrayList<>();
      for (int i = 0; i < senderCount; i++) {
        sending.add(
            new WindowedSender(
                senders.requester(i),
                senders.context(i),
                window,
                Addresses.S2C,
                budget,
                seq -> request(),
                new WindowedSender.Answers() {
                  @Override
                  public void reply(JsonObject body, long sentNanos) {
                    onReply(body, sentNanos);
                  }

                  @Override
                  public void failure(Throwable failure, long sentNanos) {
                    outcomes.failure(failure);
                  }
                }));
      }
      BenchRun.CpuWindow cpu = run.cpu();
      int warmupSeconds = o.integer(WARMUP);
      run.progress(
          "s2c: sending qos %d, %d s warm-up then %d s measured%s, window %d per sender",
          qos,
          warmupSeconds,
          duration.toSeconds(),
          messages > 0 ? " (or " + messages + " messages)" : "",
          window);
      sending.forEach(WindowedSender::start);
      Blocking.until(
          () -> sending.stream().allMatch(s -> s.done().isComplete()),
          Duration.ofSeconds(warmupSeconds));
      warmup.begin();
      long start = warmup.startNanos();
      Blocking.until(() -> sending.stream().allMatch(s -> s.done().isComplete()), duration);
      sending.forEach(WindowedSender::stop);
      Future<?> allDone = Future.join(sending.stream().map(WindowedSender::done).toList());
      boolean answered = Blocking.until(allDone::isComplete, run.requestTimeout().plusSeconds(2));
      run.progress(
          "s2c: sending stopped; waiting up to %d s for the last deliveries", o.integer(DRAIN));
      Blocking.until(
          () -> ledger.missing("pushed") == 0 && acks.sum() >= acksWritten.sum(),
          Duration.ofSeconds(o.integer(DRAIN)));

      report.section("setup", "Receivers");
      report.count("online", "receivers online", online);
      report.outcomes("login_failures", "login failures", fleet.loginFailures);
      report.latency("login_latency", "login round trip", fleet.loginLatency.summary());
      if (senders.kind() == SenderKind.CLUSTER) {
        report.count("cluster_members", "cluster members at join", senders.clusterSize());
      }

      report.section(
          "sent", "Sent: courier.s2c over " + senders.kind().description() + " (qos " + qos + ")");
      report.count("requests", "requests sent", sent.sum());
      report.count("accepted_total", "accepted (code 0), in all", ledger.acceptedCount());
      report.rate(
          "accepted",
          "accepted, measured",
          acceptedMeter.count(),
          acceptedMeter.secondsSince(start));
      JsonObject byStatus = new JsonObject();
      statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
      report.value("status", "by status", byStatus, byStatus.encode());
      report.outcomes("errors", "codes != 0 / failures", outcomes);
      report.latency("reply_latency", "request -> reply", replyLatency.summary());
      if (!answered) {
        report.note(
            "some requests were still unanswered "
                + run.requestTimeout().plusSeconds(2).toSeconds()
                + " s after sending stopped");
      }

      report.section("received", "Received by the receivers");
      Latency.Summary latency = deliveryLatency.summary();
      report.count("delivered_total", "delivered (distinct), in all", ledger.receivedCount());
      report.rate(
          "delivered",
          "delivered, measured",
          deliveredMeter.count(),
          deliveredMeter.secondsSince(start));
      report.rate(
          "acked", "acked (0x8020), measured", ackedMeter.count(), ackedMeter.secondsSince(start));
      report.latency("latency", "send -> receipt", latency);
      if (qos == 0 && !ackEveryPush) {
        report.note(
            "qos 0: the receivers do not ack the PUSHes, marked qos 0 (--ack-every-push: as v1)");
      }
      Map<String, Long> missing = ledger.missingByStatus();
      lost(report, missing);
      report.count("duplicated", "duplicated (msgid seen again)", ledger.duplicates());
      report.count("unexpected", "received, not accepted", ledger.unexpected());
      report.count("kicked", "receivers kicked", kicks.sum());
      if (missing.containsKey("dropped")) {
        report.note(
            "qos 0: 'dropped' replies are never delivered by design; they count as lost here");
      }
      if (missing.containsKey("stored")) {
        report.note(
            "qos 1: 'stored' messages wait in the offline store for PULL; they are not lost for the"
                + " platform, only not pushed");
      }
      cpu.report(report);

      if (o.flag(WITH_BASELINE)) {
        fleet.close(Duration.ofSeconds(30));
        senders.close();
        run.progress("s2c: running the Vert.x baseline for %d s", duration.toSeconds());
        Report baseline = new Report(Scenario.BASELINE, o);
        BaselineBench.Result base =
            BaselineBench.measure(
                run,
                receivers,
                baselineWindow(window * senderCount),
                Duration.ofSeconds(warmupSeconds),
                duration,
                messages,
                contentBytes,
                baseline);
        report.embed(
            "baseline", "Baseline (run after the scenario, same duration and sizes)", baseline);
        report.section(
            "ratio", "Courier / baseline (rates: higher is better; latencies: lower is better)");
        report.ratio(
            "delivered",
            "delivered/s",
            deliveredMeter.perSecondSince(start),
            base.deliveredPerSecond());
        if (ackedMeter.count() > 0) {
          report.ratio("acked", "acked/s", ackedMeter.perSecondSince(start), base.ackedPerSecond());
        }
        report.ratio("p50", "latency p50", latency.p50(), base.latency().p50());
        report.ratio("p99", "latency p99", latency.p99(), base.latency().p99());
      }
      if (o.flag(WITH_MQTT)) {
        fleet.close(Duration.ofSeconds(30));
        senders.close();
        run.progress("s2c: driving the MQTT broker for %d s", duration.toSeconds());
        Report mqtt = new Report(Scenario.S2C, o);
        MqttBaseline.Result broker =
            MqttBaseline.s2c(
                run,
                receivers,
                qos,
                senderCount,
                window,
                Duration.ofSeconds(warmupSeconds),
                duration,
                Duration.ofSeconds(o.integer(DRAIN)),
                contentBytes,
                mqtt);
        report.embed("mqtt", "MQTT broker (run after the scenario, same load)", mqtt);
        report.section(
            "mqtt_ratio",
            "Courier / MQTT broker (rates: higher is better; latencies: lower is better)");
        report.ratio(
            "delivered",
            "delivered/s",
            deliveredMeter.perSecondSince(start),
            broker.deliveredPerSecond());
        report.ratio("p50", "latency p50", latency.p50(), broker.latency().p50());
        report.ratio("p99", "latency p99", latency.p99(), broker.latency().p99());
      }
      return report;
    } finally {
      if (senders != null) {
        senders.close();
      }
      fleet.close(Duration.ofSeconds(30));
    }
  }

  private JsonObject request() {
    sent.increment();
    int receiver = (int) (nextReceiver.getAndIncrement() % receivers);
    return new JsonObject()
        .put("to_uid", uids.get(receiver))
        .put("to_appcode", appcode)
        .put("msgtype", 9)
        .put("content", Stamp.content(System.nanoTime(), contentBytes))
        .put("qos", qos);
  }

  private void onReply(JsonObject body, long sentNanos) {
    if (Outcomes.codeOf(body) != 0) {
      outcomes.response(body);
      return;
    }
    if (warmup.measuring()) {
      replyLatency.recordSince(sentNanos);
      acceptedMeter.mark();
    }
    String status = body.getString("status", "none");
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    ledger.accepted(DeliveryLedger.parseMsgid(body.getValue("msgid")), status);
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    return frame -> {
      if (frame.command() == Command.PUSH) {
        long now = System.nanoTime();
        boolean measuring = warmup.measuring();
        if (ledger.received(DeliveryLedger.parseMsgid(frame.body().getValue("msgid")))
            && measuring) {
          long stamp = Stamp.parse(frame.body().getString("content"));
          if (stamp != Stamp.NONE) {
            deliveryLatency.recordNanos(now - stamp);
          }
          deliveredMeter.mark();
        }
        if (!ackEveryPush && !frame.needsAck()) {
          return;
        }
        acksWritten.increment();
        connection
            .ackPush(frame)
            .onSuccess(
                v -> {
                  acks.increment();
                  if (measuring) {
                    ackedMeter.mark();
                  }
                });
      } else if (frame.command() == Command.KICK) {
        kicks.increment();
      }
    };
  }

  /** Lost messages, in all and by the status of their reply. */
  static void lost(Report report, Map<String, Long> missingByStatus) {
    long lost = missingByStatus.values().stream().mapToLong(Long::longValue).sum();
    JsonObject byStatus = new JsonObject();
    missingByStatus.forEach(byStatus::put);
    report.value(
        "lost",
        "lost (code 0, not received)",
        new JsonObject().put("total", lost).put("by_status", byStatus),
        String.format(
            "%,d%s", lost, byStatus.isEmpty() ? "" : "  by reply status " + byStatus.encode()));
  }

  static double seconds(long start, long end) {
    return Math.max(0, end - start) / 1e9;
  }
}
