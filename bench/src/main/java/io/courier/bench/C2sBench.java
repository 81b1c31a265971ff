package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench c2s}: clients report GPS-like positions (C2S) at a fixed rate each, to a business
 * consumer that this bench registers on the bridge and that accepts every message.
 */
final class C2sBench {
  private final BenchRun run;
  private final int appcode;
  private final int msgtype;
  private final int window;
  private final long intervalMs;
  private final int qos;
  private final boolean cmids;
  private final AtomicLong cmid = new AtomicLong();
  // cmids of one run never repeat those of an earlier run against the same node
  private final String cmidPrefix = Long.toString(System.currentTimeMillis(), 36) + "-";

  private final Latency latency = new Latency();
  private final Latency consumerLatency = new Latency();
  private final Outcomes outcomes = new Outcomes();
  private final LongAdder ticks = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder consumed = new LongAdder();
  private final AtomicLong outstanding = new AtomicLong();
  private volatile boolean stopped;
  private final Warmup warmup = new Warmup();
  private final Meter acceptedMeter = new Meter();

  private C2sBench(BenchRun run) {
    this.run = run;
    this.appcode = run.options.integer(APPCODE);
    this.msgtype = run.options.integer(MSGTYPE);
    this.window = run.options.integer(WINDOW);
    this.intervalMs = Math.max(1, Math.round(1000.0 / run.options.integer(RATE)));
    this.qos = run.options.integer(QOS);
    this.cmids = run.options.flag(CMIDS);
  }

  static Report run(BenchRun run) {
    return new C2sBench(run).measure();
  }

  /** One client's reporting loop; touched only on its connection's event loop. */
  private final class Reporter {
    private final Fleet.Member member;
    private double lat = 31.0 + ThreadLocalRandom.current().nextDouble();
    private double lng = 121.0 + ThreadLocalRandom.current().nextDouble();
    private int inFlight;
    private long timer = -1;

    Reporter(Fleet.Member member) {
      this.member = member;
    }

    /**
     * Starts ticking after a random part of the interval, so that the clients do not send in
     * lockstep.
     */
    void start() {
      run.vertx.setTimer(
          1 + ThreadLocalRandom.current().nextLong(intervalMs),
          id -> {
            tick();
            timer = run.vertx.setPeriodic(intervalMs, pid -> tick());
          });
    }

    void tick() {
      if (stopped) {
        if (timer != -1) {
          run.vertx.cancelTimer(timer);
        }
        return;
      }
      boolean measuring = warmup.measuring();
      if (measuring) {
        ticks.increment();
      }
      if (inFlight >= window) {
        if (measuring) {
          skipped.increment();
        }
        return;
      }
      lat += (ThreadLocalRandom.current().nextDouble() - 0.5) * 1e-4;
      lng += (ThreadLocalRandom.current().nextDouble() - 0.5) * 1e-4;
      inFlight++;
      outstanding.incrementAndGet();
      if (measuring) {
        sent.increment();
      }
      long start = System.nanoTime();
      JsonObject body =
          new JsonObject().put("msgtype", msgtype).put("content", Stamp.position(lat, lng, start));
      if (qos == 1) {
        body.put("qos", 1);
      }
      if (cmids) {
        body.put("cmid", cmidPrefix + cmid.incrementAndGet());
      }
      member
          .connection()
          .request(Command.C2S, body)
          .onComplete(
              answer -> {
                inFlight--;
                outstanding.decrementAndGet();
                if (answer.failed()) {
                  outcomes.failure(answer.cause());
                } else if (Outcomes.codeOf(answer.result()) != 0) {
                  outcomes.response(answer.result());
                } else if (measuring) {
                  latency.recordSince(start);
                  acceptedMeter.mark();
                }
              });
    }
  }

  private Report measure() {
    BenchOptions o = run.options;
    int clients = o.integer(CLIENTS);
    int consumers = o.integer(CONSUMERS);
    int offset = o.integer(UID_OFFSET);
    Duration duration = Duration.ofSeconds(o.integer(DURATION));
    SourcePlan.checkCount(clients + consumers);
    Report report = new Report(Scenario.C2S, o);
    String address = Addresses.c2s(appcode, msgtype);

    List<BridgeClient> bridges = new ArrayList<>();
    Fleet fleet = run.fleet(clients, offset);
    try {
      run.progress("c2s: registering %d consumer(s) on %s", consumers, address);
      List<Future<Void>> registered = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        BridgeClient bridge =
            Blocking.await(
                BridgeClient.connect(
                    run.vertx,
                    run.loops.get(i),
                    run.host(),
                    o.integer(BRIDGE_PORT),
                    run.requestTimeout().toMillis()),
                Duration.ofSeconds(10));
        bridges.add(bridge);
        Promise<Void> done = Promise.promise();
        run.loops
            .get(i)
            .runOnContext(v -> bridge.register(address, this::consume).onComplete(done));
        registered.add(done.future());
      }
      Blocking.await(Future.all(registered), Duration.ofSeconds(10));
      for (BridgeClient bridge : bridges) {
        if (bridge.refusals() > 0) {
          throw new Blocking.BenchFailure(
              "the bridge refused the registration: " + bridge.lastRefusal());
        }
      }

      List<String> uids = new ArrayList<>(clients);
      for (int i = 0; i < clients; i++) {
        uids.add("c2s-" + (offset + i));
      }
      run.progress("c2s: logging in %,d clients (appcode %d)", clients, appcode);
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                uids,
                appcode,
                run.signer(appcode),
                o.integer(CONCURRENCY),
                (i, c) -> frame -> {},
                BenchRun.setupDeadline(clients));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      List<Reporter> reporters = new ArrayList<>();
      for (Fleet.Member member : members) {
        if (member != null) {
          reporters.add(new Reporter(member));
        }
      }
      double offered = reporters.size() * 1000.0 / intervalMs;
      int warmupSeconds = o.integer(WARMUP);
      run.progress(
          "c2s: %,d clients online; each sends every %d ms (%,.0f/s offered), %d s warm-up then %d s"
              + " measured",
          reporters.size(), intervalMs, offered, warmupSeconds, duration.toSeconds());
      BenchRun.CpuWindow cpu = run.cpu();
      for (Reporter reporter : reporters) {
        reporter.member.context().runOnContext(v -> reporter.start());
      }
      Blocking.sleep(warmupSeconds * 1000L);
      warmup.begin();
      long start = warmup.startNanos();
      Blocking.sleep(duration.toMillis());
      stopped = true;
      long stop = System.nanoTime();
      boolean answered =
          Blocking.until(() -> outstanding.get() == 0, run.requestTimeout().plusSeconds(2));

      report.section("setup", "Clients");
      report.count("online", "clients online", reporters.size());
      report.outcomes("login_failures", "login failures", fleet.loginFailures);
      report.latency("login_latency", "login round trip", fleet.loginLatency.summary());

      report.section("sent", "C2S to " + address);
      report.value(
          "offered_per_second",
          "offered",
          Report.round(offered),
          String.format("%,.0f/s", offered));
      report.rate("ticks", "ticks", ticks.sum(), S2cBench.seconds(start, stop));
      report.count("skipped", "skipped (window full)", skipped.sum());
      report.count("sent", "C2S sent, measured", sent.sum());
      report.rate(
          "accepted",
          "accepted (code 0), measured",
          acceptedMeter.count(),
          Math.max(S2cBench.seconds(start, stop), acceptedMeter.secondsSince(start)));
      report.latency("latency", "C2S -> 0x8010", latency.summary());
      report.outcomes("errors", "codes != 0 / failures", outcomes);
      if (!answered) {
        report.note(outstanding.get() + " C2S still unanswered after sending stopped");
      }
      report.section("consumer", "Business consumer (bridge)");
      report.count("consumed", "messages consumed, in all", consumed.sum());
      report.latency("latency", "send -> consumer", consumerLatency.summary());
      cpu.report(report);
      if (o.flag(WITH_MQTT)) {
        stopped = true;
        fleet.close(Duration.ofSeconds(30));
        bridges.forEach(BridgeClient::close);
        run.progress("c2s: driving the MQTT broker for %d s", duration.toSeconds());
        Report mqtt = new Report(Scenario.C2S, o);
        MqttBaseline.Result broker =
            MqttBaseline.c2s(
                run,
                clients,
                intervalMs,
                consumers,
                window,
                Duration.ofSeconds(warmupSeconds),
                duration,
                mqtt);
        report.embed("mqtt", "MQTT broker, QoS 1 (run after the scenario, same load)", mqtt);
        report.section(
            "mqtt_ratio",
            "Courier / MQTT broker (rates: higher is better; latencies: lower is better)");
        report.ratio(
            "accepted",
            "accepted/s",
            acceptedMeter.count()
                / Math.max(S2cBench.seconds(start, stop), acceptedMeter.secondsSince(start)),
            broker.acceptedPerSecond());
        Latency.Summary toConsumer = consumerLatency.summary();
        report.ratio(
            "consumer_p50", "send -> consumer p50", toConsumer.p50(), broker.latency().p50());
        report.ratio(
            "consumer_p99", "send -> consumer p99", toConsumer.p99(), broker.latency().p99());
      }
      return report;
    } finally {
      stopped = true;
      fleet.close(Duration.ofSeconds(30));
      bridges.forEach(BridgeClient::close);
    }
  }

  private static final JsonObject ACCEPT = Result.ok().toJson();

  private JsonObject consume(JsonObject message) {
    consumed.increment();
    long stamp = Stamp.parse(message.getString("content"));
    if (stamp != Stamp.NONE && warmup.measuring() && stamp - warmup.startNanos() >= 0) {
      consumerLatency.recordSince(stamp);
    }
    return ACCEPT;
  }
}
