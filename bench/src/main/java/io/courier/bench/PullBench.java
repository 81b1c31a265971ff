package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.CourierConnection;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench pull}: K messages put in the offline store of one offline user (courier.s2c qos 1
 * over the bridge), then drained by that user with PULL / OFFLINE_ACK.
 *
 * @implNote The drain pipelines: when a page arrives, its OFFLINE_ACK and the next PULL (with
 *     {@code after} = the page's last msgid) are sent together, so acknowledging never stalls
 *     paging. Waiting for each ack before the next PULL was rejected: PULL with {@code after} does
 *     not depend on the ack, and a careful client would not wait.
 */
final class PullBench {
  private final BenchRun run;
  private final int appcode;
  private final int limit;
  private final DeliveryLedger ledger = new DeliveryLedger();
  private final Latency fillLatency = new Latency();
  private final Latency pullLatency = new Latency();
  private final Latency ackLatency = new Latency();
  private final Outcomes fillOutcomes = new Outcomes();
  private final Outcomes drainOutcomes = new Outcomes();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private volatile long lastFillReplyNanos;

  private PullBench(BenchRun run) {
    this.run = run;
    this.appcode = run.options.integer(APPCODE);
    this.limit = run.options.integer(LIMIT);
  }

  static Report run(BenchRun run) {
    return new PullBench(run).measure();
  }

  /** The drain's state; touched only on the connection's event loop. */
  private final class Drain {
    private final CourierConnection connection;
    private final Promise<Void> done = Promise.promise();
    private long pulled;
    private long pages;
    private long removed;
    private int acksInFlight;
    private boolean pullsDone;
    private long endNanos;

    Drain(CourierConnection connection) {
      this.connection = connection;
    }

    void pull(String after) {
      JsonObject body = new JsonObject().put("limit", limit);
      if (after != null) {
        body.put("after", after);
      }
      long start = System.nanoTime();
      connection
          .request(Command.PULL, body)
          .onComplete(
              answer -> {
                if (answer.failed()) {
                  drainOutcomes.failure(answer.cause());
                  done.tryFail(answer.cause());
                  return;
                }
                JsonObject page = answer.result();
                if (Outcomes.codeOf(page) != 0) {
                  drainOutcomes.response(page);
                  done.tryFail("PULL answered " + page.encode());
                  return;
                }
                pullLatency.recordSince(start);
                pages++;
                JsonArray msgs = page.getJsonArray("msgs", new JsonArray());
                String last = null;
                for (int i = 0; i < msgs.size(); i++) {
                  last = msgs.getJsonObject(i).getString("msgid");
                  ledger.received(DeliveryLedger.parseMsgid(last));
                  pulled++;
                }
                if (last != null) {
                  ack(last);
                }
                if (page.getBoolean("more", false) && last != null) {
                  pull(last);
                } else {
                  pullsDone = true;
                  finishIfDone();
                }
              });
    }

    private void ack(String upto) {
      acksInFlight++;
      long start = System.nanoTime();
      connection
          .request(Command.OFFLINE_ACK, new JsonObject().put("upto", upto))
          .onComplete(
              answer -> {
                acksInFlight--;
                if (answer.failed()) {
                  drainOutcomes.failure(answer.cause());
                } else if (Outcomes.codeOf(answer.result()) != 0) {
                  drainOutcomes.response(answer.result());
                } else {
                  ackLatency.recordSince(start);
                  removed += answer.result().getLong("removed", 0L);
                }
                finishIfDone();
              });
    }

    private void finishIfDone() {
      if (pullsDone && acksInFlight == 0) {
        endNanos = System.nanoTime();
        done.tryComplete();
      }
    }
  }

  private Report measure() {
    BenchOptions o = run.options;
    int count = o.integer(COUNT);
    int contentBytes = o.integer(CONTENT_BYTES);
    String uid = o.has(UID) ? o.string(UID) : "pull-" + run.runTag;
    Report report = new Report(Scenario.PULL, o);
    Duration timeout = run.requestTimeout();

    BridgeClient bridge =
        Blocking.await(
            BridgeClient.connect(
                run.vertx,
                run.loops.get(0),
                run.host(),
                o.integer(BRIDGE_PORT),
                timeout.toMillis()),
            Duration.ofSeconds(10));
    Fleet fleet = run.fleet(1, 0);
    try {
      run.progress(
          "pull: storing %,d qos-1 messages for offline user %s (appcode %d)", count, uid, appcode);
      BenchRun.CpuWindow cpu = run.cpu();
      AtomicLong budget = new AtomicLong(count);
      WindowedSender filler =
          new WindowedSender(
              bridge,
              run.loops.get(0),
              o.integer(WINDOW),
              Addresses.S2C,
              budget,
              seq ->
                  new JsonObject()
                      .put("to_uid", uid)
                      .put("to_appcode", appcode)
                      .put("msgtype", 9)
                      .put("content", Stamp.content(System.nanoTime(), contentBytes))
                      .put("qos", 1),
              new WindowedSender.Answers() {
                @Override
                public void reply(JsonObject body, long sentNanos) {
                  lastFillReplyNanos = System.nanoTime();
                  if (Outcomes.codeOf(body) != 0) {
                    fillOutcomes.response(body);
                    return;
                  }
                  fillLatency.recordSince(sentNanos);
                  String status = body.getString("status", "none");
                  statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                  ledger.accepted(DeliveryLedger.parseMsgid(body.getValue("msgid")), status);
                }

                @Override
                public void failure(Throwable failure, long sentNanos) {
                  fillOutcomes.failure(failure);
                }
              });
      long fillStart = System.nanoTime();
      filler.start();
      Duration fillLimit = Duration.ofSeconds(Math.max(60, count / 100));
      if (!Blocking.until(() -> filler.done().isComplete(), fillLimit)) {
        filler.stop();
        Blocking.until(() -> filler.done().isComplete(), timeout.plusSeconds(2));
        report.note("the fill did not finish within " + fillLimit.toSeconds() + " s");
      }
      report.section("fill", "Fill: courier.s2c qos 1 to the offline user " + uid);
      report.rate(
          "stored",
          "accepted (code 0)",
          ledger.acceptedCount(),
          S2cBench.seconds(fillStart, lastFillReplyNanos));
      JsonObject byStatus = new JsonObject();
      statuses.forEach((status, n) -> byStatus.put(status, n.sum()));
      report.value("status", "by status", byStatus, byStatus.encode());
      report.latency("reply_latency", "request -> reply", fillLatency.summary());
      report.outcomes("errors", "codes != 0 / failures", fillOutcomes);

      run.progress("pull: logging in %s and draining with limit %d", uid, limit);
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                List.of(uid),
                appcode,
                run.signer(appcode),
                1,
                (i, c) -> frame -> {},
                BenchRun.setupDeadline(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      Fleet.Member member = members.get(0);
      if (member == null) {
        throw new Blocking.BenchFailure(
            "the pull user could not log in: " + fleet.loginFailures.text());
      }
      Drain drain = new Drain(member.connection());
      long drainStart = System.nanoTime();
      member.context().runOnContext(v -> drain.pull(null));
      Duration drainLimit = Duration.ofSeconds(Math.max(60, count / 200));
      boolean finished = Blocking.until(() -> drain.done.future().isComplete(), drainLimit);
      Future<JsonObject> check =
          Future.future(
              p ->
                  member
                      .context()
                      .runOnContext(
                          v ->
                              member
                                  .connection()
                                  .request(Command.PULL, new JsonObject().put("limit", 200))
                                  .onComplete(p)));
      JsonObject rest = Blocking.await(check, timeout.plusSeconds(1));

      report.section("drain", "Drain: PULL limit " + limit + " + OFFLINE_ACK");
      double drainSeconds =
          finished
              ? S2cBench.seconds(drainStart, drain.endNanos)
              : S2cBench.seconds(drainStart, System.nanoTime());
      report.rate("pulled", "messages pulled", drain.pulled, drainSeconds);
      report.value(
          "total_seconds",
          "total drain time",
          Report.round(drainSeconds),
          String.format("%.3f s", drainSeconds));
      report.count("pages", "PULL pages", drain.pages);
      report.latency("pull_latency", "PULL round trip", pullLatency.summary());
      report.latency("ack_latency", "OFFLINE_ACK round trip", ackLatency.summary());
      report.count("removed", "removed by OFFLINE_ACK", drain.removed);
      S2cBench.lost(report, ledger.missingByStatus());
      report.count("duplicated", "duplicated (msgid seen again)", ledger.duplicates());
      report.count("unexpected", "pulled, not from this fill", ledger.unexpected());
      int remaining = rest.getJsonArray("msgs", new JsonArray()).size();
      report.value(
          "remaining",
          "left after the drain",
          remaining,
          remaining + (rest.getBoolean("more", false) ? "+" : ""));
      report.outcomes("errors", "codes != 0 / failures", drainOutcomes);
      if (!finished) {
        report.note("the drain did not finish within " + drainLimit.toSeconds() + " s");
      }
      cpu.report(report);
      return report;
    } finally {
      bridge.close();
      fleet.close(Duration.ofSeconds(30));
    }
  }
}
