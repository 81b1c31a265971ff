package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code bench c2c}: pairs of users chatting. Users are laid out {@code a0, b0, a1, b1 …}, so the
 * partner of connection {@code k} is {@code k ^ 1}; each sends C2C to its partner with a window of
 * sends outstanding.
 */
final class C2cBench {
  private final BenchRun run;
  private final int appcode;
  private final int window;
  private final int contentBytes;

  private final DeliveryLedger ledger = new DeliveryLedger();
  private final Latency ackLatency = new Latency();
  private final Latency deliveryLatency = new Latency();
  private final Outcomes outcomes = new Outcomes();
  private final LongAdder pushAcks = new LongAdder();
  private final LongAdder kicks = new LongAdder();
  private final Warmup warmup = new Warmup();
  private final Meter ackedMeter = new Meter();
  private final Meter deliveredMeter = new Meter();

  private C2cBench(BenchRun run) {
    this.run = run;
    this.appcode = run.options.integer(APPCODE);
    this.window = run.options.integer(WINDOW);
    this.contentBytes = run.options.integer(CONTENT_BYTES);
  }

  private int baselineWindow(int scenarioWindow) {
    int asked = run.options.integer(BASELINE_WINDOW);
    return asked > 0 ? asked : scenarioWindow;
  }

  static Report run(BenchRun run) {
    return new C2cBench(run).measure();
  }

  private Report measure() {
    BenchOptions o = run.options;
    int pairs = o.integer(PAIRS);
    int offset = o.integer(UID_OFFSET);
    Duration duration = Duration.ofSeconds(o.integer(DURATION));
    long messages = o.integer(MESSAGES);
    CmidSenders senders =
        new CmidSenders(Command.C2C, window, messages, run.runTag, contentBytes, outcomes);
    int users = 2 * pairs;
    SourcePlan.checkCount(users);
    if (o.flag(WITH_BASELINE)) {
      SourcePlan.checkCount(2 * users);
    }
    Report report = new Report(Scenario.C2C, o);

    List<String> uids = new ArrayList<>(users);
    for (int i = 0; i < pairs; i++) {
      uids.add("c2c-a" + (offset + i));
      uids.add("c2c-b" + (offset + i));
    }
    Fleet fleet = run.fleet(users, 2 * offset);
    try {
      run.progress("c2c: logging in %,d users (%,d pairs, appcode %d)", users, pairs, appcode);
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                uids,
                appcode,
                run.signer(appcode),
                o.integer(CONCURRENCY),
                this::onServerFrame,
                BenchRun.setupDeadline(users));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      for (Fleet.Member member : members) {
        if (member != null) {
          String partnerUid = uids.get(member.index() ^ 1);
          senders.add(
              member,
              body -> body.put("to_uid", partnerUid).put("to_appcode", appcode),
              (msgid, sentNanos) -> {
                if (warmup.measuring()) {
                  ackLatency.recordSince(sentNanos);
                  ackedMeter.mark();
                }
                ledger.accepted(msgid, "accepted");
              });
        }
      }
      int warmupSeconds = o.integer(WARMUP);
      run.progress(
          "c2c: %,d of %,d users online; %d s warm-up then %d s measured%s, window %d per user",
          senders.count(),
          users,
          warmupSeconds,
          duration.toSeconds(),
          messages > 0 ? " (or " + messages + " messages)" : "",
          window);
      BenchRun.CpuWindow cpu = run.cpu();
      senders.start();
      Blocking.until(senders::spent, Duration.ofSeconds(warmupSeconds));
      warmup.begin();
      long start = warmup.startNanos();
      Blocking.until(senders::spent, duration);
      senders.stop();
      boolean answered =
          Blocking.until(() -> senders.outstanding() == 0, run.requestTimeout().plusSeconds(2));
      run.progress(
          "c2c: sending stopped; waiting up to %d s for the last deliveries", o.integer(DRAIN));
      Blocking.until(() -> ledger.missing() == 0, Duration.ofSeconds(o.integer(DRAIN)));

      report.section("setup", "Users");
      report.count("online", "users online", senders.count());
      report.outcomes("login_failures", "login failures", fleet.loginFailures);
      report.latency("login_latency", "login round trip", fleet.loginLatency.summary());

      report.section("sent", "Sent: C2C (both users of each pair)");
      report.count("requests", "C2C sent", senders.sent());
      Latency.Summary ack = ackLatency.summary();
      report.count("acked_total", "sender acks (code 0), in all", ledger.acceptedCount());
      report.rate(
          "acked", "sender acks, measured", ackedMeter.count(), ackedMeter.secondsSince(start));
      report.latency("ack_latency", "C2C -> 0x8011", ack);
      report.outcomes("errors", "codes != 0 / failures", outcomes);
      if (!answered) {
        report.note(senders.outstanding() + " C2C still unanswered after sending stopped");
      }

      report.section("received", "Delivered to the partners");
      Latency.Summary delivery = deliveryLatency.summary();
      report.count("delivered_total", "delivered (distinct), in all", ledger.receivedCount());
      report.rate(
          "delivered",
          "delivered, measured",
          deliveredMeter.count(),
          deliveredMeter.secondsSince(start));
      report.count("push_acks", "PUSH acks sent", pushAcks.sum());
      report.latency("latency", "send -> receipt", delivery);
      S2cBench.lost(report, ledger.missingByStatus());
      report.count("duplicated", "duplicated (msgid seen again)", ledger.duplicates());
      report.count("unexpected", "received, not acked to sender", ledger.unexpected());
      report.count("kicked", "users kicked", kicks.sum());
      cpu.report(report);

      if (o.flag(WITH_BASELINE)) {
        fleet.close(Duration.ofSeconds(30));
        run.progress("c2c: running the Vert.x baseline for %d s", duration.toSeconds());
        Report baseline = new Report(Scenario.BASELINE, o);
        BaselineBench.Result base =
            BaselineBench.measure(
                run,
                users,
                baselineWindow(users * window),
                Duration.ofSeconds(warmupSeconds),
                duration,
                messages,
                contentBytes,
                baseline);
        report.embed(
            "baseline",
            "Baseline (run after the scenario: one push stream per user, same window in" + " all)",
            baseline);
        report.section(
            "ratio", "Courier / baseline (rates: higher is better; latencies: lower is better)");
        report.ratio(
            "acked", "sender acks/s", ackedMeter.perSecondSince(start), base.ackedPerSecond());
        report.ratio(
            "delivered",
            "delivered/s",
            deliveredMeter.perSecondSince(start),
            base.deliveredPerSecond());
        report.ratio("ack_p99", "sender ack p99", ack.p99(), base.latency().p99());
        report.ratio("p50", "delivery p50", delivery.p50(), base.latency().p50());
        report.ratio("p99", "delivery p99", delivery.p99(), base.latency().p99());
      }
      return report;
    } finally {
      fleet.close(Duration.ofSeconds(30));
    }
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    return frame -> {
      if (frame.command() == Command.PUSH) {
        long now = System.nanoTime();
        if (ledger.received(DeliveryLedger.parseMsgid(frame.body().getValue("msgid")))
            && warmup.measuring()) {
          long stamp = Stamp.parse(frame.body().getString("content"));
          if (stamp != Stamp.NONE) {
            deliveryLatency.recordNanos(now - stamp);
          }
          deliveredMeter.mark();
        }
        connection.ackPush(frame).onSuccess(v -> pushAcks.increment());
      } else if (frame.command() == Command.KICK) {
        kicks.increment();
      }
    };
  }
}
