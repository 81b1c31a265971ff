package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code bench group}: a business creates groups ({@link GroupCreator}), their members log in, and
 * some members of each group send C2G to it with a window of sends outstanding; every other member
 * gets each message as a PUSH and acks it. Who is where: {@link GroupPlan}; what arrived where:
 * {@link FanoutLedger}.
 */
final class GroupBench {
  private static final String KIND_C2G = "c2g";

  /** PULL page of the check of what is left offline (the protocol's maximum). */
  private static final int PULL_LIMIT = 200;

  private final BenchRun run;
  private final GroupPlan plan;
  private final int window;
  private final int contentBytes;

  private final FanoutLedger ledger;
  private final Latency createLatency = new Latency();
  private final Latency acceptLatency = new Latency();
  private final Latency deliveryLatency = new Latency();
  private final Latency fanoutLatency = new Latency();
  private final Outcomes outcomes = new Outcomes();
  private final LongAdder pushAcks = new LongAdder();
  private final LongAdder echoes = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder kicks = new LongAdder();
  private final Warmup warmup = new Warmup();
  private final Meter acceptedMeter = new Meter();
  private final Meter deliveredMeter = new Meter();

  private GroupBench(BenchRun run) {
    this.run = run;
    BenchOptions o = run.options;
    this.plan =
        GroupPlan.of(
            run.runTag,
            o.integer(GROUPS),
            o.integer(MEMBERS),
            o.integer(SENDERS_PER_GROUP),
            o.integer(APPCODE));
    this.window = o.integer(WINDOW);
    this.contentBytes = o.integer(CONTENT_BYTES);
    this.ledger = new FanoutLedger(plan.members());
  }

  static Report run(BenchRun run) {
    return new GroupBench(run).measure();
  }

  private Report measure() {
    BenchOptions o = run.options;
    Duration duration = Duration.ofSeconds(o.integer(DURATION));
    long messages = o.integer(MESSAGES);
    CmidSenders senders =
        new CmidSenders(Command.C2G, window, messages, run.runTag, contentBytes, outcomes);
    Report report = new Report(Scenario.GROUP, o);

    run.progress(
        "group: creating %,d group(s) of %,d members over the bridge",
        plan.groups(), plan.members());
    GroupCreator.createAll(run, plan, createLatency);

    int users = plan.connections();
    Fleet fleet = run.fleet(users, 0);
    try {
      run.progress("group: logging in %,d members (appcode %d)", users, plan.appcode());
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                plan.uids(),
                plan.appcode(),
                run.signer(plan.appcode()),
                o.integer(CONCURRENCY),
                this::onServerFrame,
                BenchRun.setupDeadline(users));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      long online = members.stream().filter(m -> m != null).count();
      for (Fleet.Member member : members) {
        if (member != null && plan.sends(member.index())) {
          String groupId = plan.groupId(plan.groupOf(member.index()));
          int slot = plan.slotOf(member.index());
          senders.add(
              member,
              body -> body.put("group_id", groupId),
              (msgid, sentNanos) -> {
                if (warmup.measuring()) {
                  acceptLatency.recordSince(sentNanos);
                  acceptedMeter.mark();
                }
                ledger.accepted(msgid, slot);
              });
        }
      }
      int warmupSeconds = o.integer(WARMUP);
      run.progress(
          "group: %,d of %,d members online, %,d of %,d senders; %d s warm-up then %d s"
              + " measured%s, window %d per sender",
          online,
          users,
          senders.count(),
          plan.senders(),
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
          "group: sending stopped; waiting up to %d s for the last deliveries", o.integer(DRAIN));
      Blocking.until(
          () -> ledger.missing() == 0 && pushAcks.sum() >= ledger.receivedCount(),
          Duration.ofSeconds(o.integer(DRAIN)));

      Left left = leftOffline(members);

      report.section("setup", "Groups and members");
      report.count("groups", "groups created", plan.groups());
      report.count("members_per_group", "members per group", plan.members());
      report.latency("create_latency", "group create round trip", createLatency.summary());
      report.count("online", "members online", online);
      report.count("senders", "senders online", senders.count());
      report.outcomes("login_failures", "login failures", fleet.loginFailures);
      report.latency("login_latency", "login round trip", fleet.loginLatency.summary());

      report.section("sent", "Sent: C2G");
      report.count("requests", "C2G sent", senders.sent());
      report.count("accepted_total", "accepted (code 0), in all", ledger.acceptedCount());
      report.rate(
          "accepted",
          "accepted, measured",
          acceptedMeter.count(),
          acceptedMeter.secondsSince(start));
      report.latency("accept_latency", "C2G -> 0x8012", acceptLatency.summary());
      report.outcomes("errors", "codes != 0 / failures", outcomes);
      if (!answered) {
        report.note(senders.outstanding() + " C2G still unanswered after sending stopped");
      }

      report.section("received", "Delivered to the members (every member but the sender)");
      report.count("due_total", "deliveries due, in all", ledger.dueCount());
      report.count("delivered_total", "delivered (distinct), in all", ledger.receivedCount());
      report.rate(
          "delivered",
          "delivered, measured",
          deliveredMeter.count(),
          deliveredMeter.secondsSince(start));
      report.count("push_acks", "PUSH acks sent", pushAcks.sum());
      report.latency("latency", "send -> receipt", deliveryLatency.summary());
      report.latency("fanout_latency", "send -> last member", fanoutLatency.summary());
      report.count("lost", "lost (a member never got it)", ledger.missing());
      report.count("duplicated", "duplicated (got it again)", ledger.duplicates());
      report.count("unexpected", "unexpected (never accepted)", ledger.unexpected());
      report.count("echoed", "echoed to the sending terminal", echoes.sum());
      report.count("foreign", "foreign (not its group's c2g)", foreign.sum());
      report.count("kicked", "members kicked", kicks.sum());
      report.value(
          "left_offline",
          "left offline after the drain",
          left.messages(),
          String.format(
              "%,d%s",
              left.messages(),
              left.fullPages() > 0
                  ? "+ ("
                      + left.fullPages()
                      + " members have more than a page of "
                      + PULL_LIMIT
                      + ")"
                  : ""));
      if (left.failures().total() > 0) {
        report.outcomes("left_offline_failures", "PULL of that check failed", left.failures());
      }
      cpu.report(report);
      return report;
    } finally {
      fleet.close(Duration.ofSeconds(30));
    }
  }

  /**
   * What the members' offline stores still hold: messages delivered and acked are removed from it,
   * so anything left is an ack the node did not record (or a delivery still retrying).
   */
  private record Left(long messages, int fullPages, Outcomes failures) {}

  /** One PULL of a page per member, all at once, after the drain. */
  private Left leftOffline(List<Fleet.Member> members) {
    List<Future<JsonObject>> pages = new ArrayList<>();
    for (Fleet.Member member : members) {
      if (member != null) {
        Promise<JsonObject> page = Promise.promise();
        member
            .context()
            .runOnContext(
                v ->
                    member
                        .connection()
                        .request(Command.PULL, new JsonObject().put("limit", PULL_LIMIT))
                        .onComplete(page));
        pages.add(page.future());
      }
    }
    Future<?> all = Future.join(pages);
    Blocking.until(all::isComplete, run.requestTimeout().plusSeconds(2));
    long messages = 0;
    int fullPages = 0;
    Outcomes failures = new Outcomes();
    for (Future<JsonObject> page : pages) {
      if (!page.isComplete()) {
        failures.count("timeout");
      } else if (page.failed()) {
        failures.failure(page.cause());
      } else if (Outcomes.codeOf(page.result()) != 0) {
        failures.response(page.result());
      } else {
        messages += page.result().getJsonArray("msgs", new JsonArray()).size();
        fullPages += page.result().getBoolean("more", false) ? 1 : 0;
      }
    }
    return new Left(messages, fullPages, failures);
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    String groupId = plan.groupId(plan.groupOf(index));
    String uid = plan.uid(index);
    int slot = plan.slotOf(index);
    return frame -> {
      if (frame.command() == Command.PUSH) {
        long now = System.nanoTime();
        JsonObject push = frame.body();
        if (!KIND_C2G.equals(push.getValue("kind")) || !groupId.equals(push.getValue("group_id"))) {
          foreign.increment();
        } else if (uid.equals(push.getValue("from_uid"))) {
          echoes.increment();
        } else {
          record(push, slot, now);
        }
        connection.ackPush(frame).onSuccess(v -> pushAcks.increment());
      } else if (frame.command() == Command.KICK) {
        kicks.increment();
      }
    };
  }

  private void record(JsonObject push, int slot, long now) {
    FanoutLedger.Receipt receipt =
        ledger.received(DeliveryLedger.parseMsgid(push.getValue("msgid")), slot);
    if (receipt == FanoutLedger.Receipt.DUPLICATE || !warmup.measuring()) {
      return;
    }
    long stamp = Stamp.parse(push.getString("content"));
    if (stamp != Stamp.NONE) {
      deliveryLatency.recordNanos(now - stamp);
      if (receipt == FanoutLedger.Receipt.COMPLETE) {
        fanoutLatency.recordNanos(now - stamp);
      }
    }
    deliveredMeter.mark();
  }
}
