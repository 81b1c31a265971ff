package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code bench attack}: one attack on a node while a well-behaved {@link Probe} logs in and PINGs
 * from a source address of its own. First --calm seconds without the attack (the probe's baseline),
 * then the attack for at most --duration seconds; the node's RSS is sampled throughout.
 */
final class AttackBench {
  private static final long SAMPLE_MS = 250;
  private static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final BenchRun run;
  private final AttackKind kind;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(HTTP_CONNECT_TIMEOUT).build();

  private AttackBench(BenchRun run) {
    this.run = run;
    this.kind = AttackKind.of(run.options.string(KIND));
  }

  static Report run(BenchRun run) {
    return new AttackBench(run).measure();
  }

  /** {@code --attackers}, else the kind's default. */
  static int attackers(BenchOptions options, AttackKind kind) {
    return options.has(ATTACKERS) ? options.integer(ATTACKERS) : kind.defaultAttackers();
  }

  /** {@code --messages} when not 0, else the kind's default. */
  static int messages(BenchOptions options, AttackKind kind) {
    int messages = options.integer(MESSAGES);
    return messages > 0 ? messages : kind.defaultMessages();
  }

  private Report measure() {
    BenchOptions o = run.options;
    int appcode = o.integer(APPCODE);
    Report report = new Report(Scenario.ATTACK, o);
    report.section("kind", "Attack " + kind.optionValue());
    report.value("description", "what it does", kind.description(), kind.description());
    ServerProbe node = run.probe();
    Attack attack = attack(appcode);
    Probe probe =
        new Probe(
            o.string(PROBE_SOURCE),
            run.host(),
            o.integer(GATE_PORT),
            run.requestTimeout(),
            "probe-" + run.runTag,
            appcode,
            run.signer(appcode).sign("probe-" + run.runTag, appcode));
    try {
      run.progress("attack %s: preparing", kind.optionValue());
      attack.prepare();
      OptionalLong rssBefore = node == null ? OptionalLong.empty() : node.rssKib();
      run.progress(
          "attack %s: probe from %s, %d s without the attack",
          kind.optionValue(), o.string(PROBE_SOURCE), o.integer(CALM));
      probe.start();
      Blocking.sleep(o.integer(CALM) * 1000L);
      Probe.Stats calm = probe.phase();
      run.progress(
          "attack %s: attacking for at most %d s", kind.optionValue(), o.integer(DURATION));
      BenchRun.CpuWindow cpu = run.cpu();
      long start = System.nanoTime();
      long end = start + o.integer(DURATION) * 1_000_000_000L;
      attack.start();
      long rssMax = 0;
      while (System.nanoTime() < end && !attack.finished()) {
        Blocking.sleep(SAMPLE_MS);
        if (node != null) {
          rssMax = Math.max(rssMax, node.rssKib().orElse(0));
        }
      }
      double attackSeconds = (System.nanoTime() - start) / 1e9;
      Probe.Stats during = probe.phase();
      OptionalLong rssDuring = node == null ? OptionalLong.empty() : OptionalLong.of(rssMax);
      run.progress(
          "attack %s: %s after %.1f s; stopping",
          kind.optionValue(), attack.finished() ? "finished" : "duration over", attackSeconds);
      attack.stop();
      OptionalLong rssAfter = node == null ? OptionalLong.empty() : node.rssKib();
      attack.report(report);
      report.value(
          "attack_seconds",
          "attack ran",
          Report.round(attackSeconds),
          String.format("%.1f s", attackSeconds));
      calm.report(report, "probe_baseline", "Probe without the attack (" + o.integer(CALM) + " s)");
      during.report(report, "probe_attack", "Probe during the attack");
      report.section("node", "Node memory (VmRSS of --server-pid)");
      report.kib("rss_before_kib", "before", rssBefore);
      report.kib("rss_max_during_kib", "highest during the attack", rssDuring);
      report.kib("rss_after_kib", "after", rssAfter);
      if (node == null) {
        report.note("no --server-pid: node memory not measured");
      }
      cpu.report(report);
      return report;
    } finally {
      Blocking.await(probe.stop(), Duration.ofSeconds(30));
    }
  }

  private Attack attack(int appcode) {
    BenchOptions o = run.options;
    int attackers = attackers(o, kind);
    int messages = messages(o, kind);
    String base = o.string(SOURCE_BASE);
    String tag = run.runTag;
    return switch (kind) {
      case CONN_FLOOD ->
          new ConnectionFlood(
              run, SourcePlan.of(base, 0, 1, 1), 0, attackers, o.integer(CONCURRENCY));
      case NEVER_LOGIN ->
          new ConnectionFlood(
              run,
              SourcePlan.of(base, 0, attackers, o.integer(PER_SOURCE)),
              attackers,
              attackers,
              o.integer(CONCURRENCY));
      case FRAME_FLOOD ->
          new RequestFlood(
              run,
              base,
              uids("frames-" + tag + "-", attackers),
              appcode,
              Command.PING,
              new JsonObject(),
              o.integer(WINDOW),
              "Attack: pipelined PINGs",
              () -> {});
      case PULL_FLOOD -> {
        List<String> uids = uids("pulls-" + tag + "-", attackers);
        yield new RequestFlood(
            run,
            base,
            uids,
            appcode,
            Command.PULL,
            new JsonObject().put("limit", 200),
            o.integer(WINDOW),
            "Attack: pipelined PULL of the largest page",
            () ->
                uids.forEach(
                    uid ->
                        OfflineFill.fill(run, uid, appcode, messages, o.integer(CONTENT_BYTES))));
      }
      case SLOW_READER ->
          new SlowReader(
              run, base, appcode, messages, o.integer(CONTENT_BYTES), http, o.integer(ADMIN_PORT));
      case LOGIN_FLOOD -> new LoginFlood(run, base, attackers, appcode);
      case MSGTYPE_SPRAY ->
          new MsgtypeSpray(
              run,
              attackerFleet(attackers + 1),
              uids("spray-" + tag + "-", attackers + 1),
              appcode,
              messages,
              http,
              o.integer(ADMIN_PORT));
    };
  }

  private Fleet attackerFleet(int count) {
    return new Fleet(
        run.vertx,
        run.loops,
        SourcePlan.of(run.options.string(SOURCE_BASE), 0, count, SourcePlan.DEFAULT_PER_ADDRESS),
        run.host(),
        run.options.integer(GATE_PORT),
        run.requestTimeout(),
        run.gateTls());
  }

  private static List<String> uids(String prefix, int count) {
    List<String> uids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      uids.add(prefix + i);
    }
    return uids;
  }
}
