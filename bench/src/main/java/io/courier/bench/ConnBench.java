package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.courier.tools.TokenSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code bench conn}: N logged-in idle connections; login latency and the node's memory per
 * connection.
 */
final class ConnBench {
  private final BenchRun run;
  private final LongAdder kicks = new LongAdder();
  private final LongAdder closedEarly = new LongAdder();

  private ConnBench(BenchRun run) {
    this.run = run;
  }

  static Report run(BenchRun run) {
    return new ConnBench(run).measure();
  }

  private Report measure() {
    BenchOptions o = run.options;
    int connections = o.integer(CONNECTIONS);
    int offset = o.integer(UID_OFFSET);
    int appcode = o.integer(APPCODE);
    Report report = new Report(Scenario.CONN, o);
    ServerProbe probe = run.probe();

    List<String> uids = new ArrayList<>(connections);
    for (int i = 0; i < connections; i++) {
      uids.add("conn-" + (offset + i));
    }
    Fleet fleet = run.fleet(connections, offset);
    try {
      TokenSigner signer = run.signer(appcode);
      Memory before = null;
      if (probe != null) {
        run.progress("conn: measuring the node (pid %d) before connecting", probe.pid());
        before = Memory.of(probe);
      }
      run.progress(
          "conn: opening %,d connections (appcode %d, %d logins in flight, %d event loops, sources %s)",
          connections,
          appcode,
          o.integer(CONCURRENCY),
          run.loops.size(),
          describe(run, connections, offset));
      BenchRun.CpuWindow cpu = run.cpu();
      long start = System.nanoTime();
      List<Fleet.Member> members;
      try {
        members =
            fleet.open(
                uids,
                appcode,
                signer,
                o.integer(CONCURRENCY),
                this::onServerFrame,
                BenchRun.setupDeadline(connections));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Blocking.BenchFailure("interrupted");
      }
      double setupSeconds = S2cBench.seconds(start, System.nanoTime());
      long online = 0;
      for (Fleet.Member member : members) {
        if (member != null) {
          online++;
          member.connection().closed().onComplete(v -> closedEarly.increment());
        }
      }
      run.progress(
          "conn: %,d of %,d logged in after %.1f s; holding for %d s",
          online, connections, setupSeconds, o.integer(HOLD));
      Blocking.sleep(o.integer(HOLD) * 1000L);
      long stillOpen = online - closedEarly.sum();

      report.section("connections", "Connections");
      report.count("asked", "asked", connections);
      report.rate("logged_in", "logged in", online, setupSeconds);
      report.outcomes("failures", "login failures", fleet.loginFailures);
      report.latency("connect_latency", "TCP connect", fleet.connectLatency.summary());
      report.latency("login_latency", "LOGIN -> 0x8001", fleet.loginLatency.summary());
      report.count("open_after_hold", "still open after the hold", stillOpen);
      report.count("kicked", "kicked", kicks.sum());

      if (probe != null) {
        run.progress("conn: measuring the node with %,d connections open", stillOpen);
        Memory after = Memory.of(probe);
        report.section(
            "server", "Node memory (pid " + probe.pid() + "; heap = live heap after jcmd GC.run)");
        report.kib("rss_before_kib", "RSS before", before.rssKib);
        report.kib("rss_after_kib", "RSS with the connections", after.rssKib);
        perConnection(
            report,
            "rss_per_connection_bytes",
            "RSS per connection",
            before.rssKib,
            after.rssKib,
            stillOpen);
        report.kib("heap_before_kib", "heap before", before.heapKib);
        report.kib("heap_after_kib", "heap with the connections", after.heapKib);
        perConnection(
            report,
            "heap_per_connection_bytes",
            "heap per connection",
            before.heapKib,
            after.heapKib,
            stillOpen);
        if (before.rssKib.isPresent()
            && after.rssKib.isPresent()
            && after.rssKib.getAsLong() < before.rssKib.getAsLong()) {
          report.note(
              "the node's RSS fell while connections were added: its heap was resized between the two"
                  + " measures. For RSS per connection, use a freshly started node with a fixed heap (-Xms = -Xmx)");
        }
      } else {
        report.note("no --server-pid: node memory not measured");
      }
      cpu.report(report);
      return report;
    } finally {
      run.progress("conn: closing the connections");
      fleet.close(Duration.ofSeconds(60));
    }
  }

  private static void perConnection(
      Report report,
      String key,
      String label,
      OptionalLong before,
      OptionalLong after,
      long connections) {
    if (before.isEmpty() || after.isEmpty() || connections == 0) {
      report.value(key, label, null, "n/a");
      return;
    }
    long bytes = (after.getAsLong() - before.getAsLong()) * 1024 / connections;
    report.value(key, label, bytes, String.format("%,d bytes", bytes));
  }

  private static String describe(BenchRun run, int connections, int offset) {
    StringBuilder text = new StringBuilder();
    SourcePlan plan =
        SourcePlan.of(
            run.options.string(SOURCE_BASE), offset, connections, run.options.integer(PER_SOURCE));
    for (SourcePlan.Slice slice : plan.slices()) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(slice.address()).append(" x ").append(slice.count());
    }
    return text.toString();
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    return frame -> {
      if (frame.command() == Command.KICK) {
        kicks.increment();
      }
    };
  }

  /** RSS and live heap of the node at one moment. */
  private record Memory(OptionalLong rssKib, OptionalLong heapKib) {
    static Memory of(ServerProbe probe) {
      OptionalLong heap = probe.liveHeapKib();
      return new Memory(probe.rssKib(), heap);
    }
  }
}
