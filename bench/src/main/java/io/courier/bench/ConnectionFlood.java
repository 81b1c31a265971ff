package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections that never log in: {@code never-login} opens a fixed number spread over source
 * addresses and waits for the node to close them all; {@code conn-flood} keeps opening them from
 * one address for the whole attack, holding at most a given number open. For each connection it
 * records whether the node refused it with an ERROR frame (429, 503) and how long the node took to
 * close it.
 */
final class ConnectionFlood implements Attack {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final BenchRun run;
  private final SourcePlan plan;
  private final int total;
  private final int holdAtMost;
  private final Map<String, CourierClient> clients = new HashMap<>();
  private final Semaphore connecting;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder connected = new LongAdder();
  private final LongAdder closedByNode = new LongAdder();
  private final Outcomes connectFailures = new Outcomes();
  private final Outcomes errorFrames = new Outcomes();
  private final Latency refusedCloseTime = new Latency();
  private final Latency unrefusedCloseTime = new Latency();
  private volatile boolean stopping;
  private volatile boolean openerDone;
  private volatile long startNanos;
  private volatile long lastCloseNanos;
  private Thread opener;

  /**
   * @param total connections to open in all, or 0 to go on until stopped
   * @param holdAtMost connections open at once at most (further opens wait for a close)
   */
  ConnectionFlood(BenchRun run, SourcePlan plan, int total, int holdAtMost, int concurrency) {
    this.run = run;
    this.plan = plan;
    this.total = total;
    this.holdAtMost = holdAtMost;
    this.connecting = new Semaphore(concurrency);
    for (SourcePlan.Slice slice : plan.slices()) {
      clients.computeIfAbsent(
          slice.address(),
          address ->
              new CourierClient(
                  run.vertx,
                  new NetClientOptions().setLocalAddress(address).setReuseAddress(false),
                  run.requestTimeout()));
    }
  }

  @Override
  public void start() {
    startNanos = System.nanoTime();
    opener = new Thread(this::openAll, "attack-opener");
    opener.setDaemon(true);
    opener.start();
  }

  private void openAll() {
    try {
      for (long i = 0; !stopping && (total == 0 || i < total); i++) {
        connecting.acquire();
        while (open.get() >= holdAtMost && !stopping) {
          Thread.sleep(5);
        }
        if (stopping) {
          connecting.release();
          break;
        }
        int slot = (int) (i % plan.count());
        open(plan.addressOf(slot), (int) i);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      openerDone = true;
    }
  }

  private void open(String address, int index) {
    CourierClient client = clients.get(address);
    attempts.increment();
    open.incrementAndGet();
    run.loops
        .get(index)
        .runOnContext(
            v -> {
              long start = System.nanoTime();
              client
                  .connect(run.options.integer(BenchOption.GATE_PORT), run.host())
                  .onComplete(done -> connecting.release())
                  .onFailure(
                      e -> {
                        open.decrementAndGet();
                        connectFailures.failure(e);
                      })
                  .onSuccess(connection -> watch(connection, start));
            });
  }

  private void watch(CourierConnection connection, long start) {
    connected.increment();
    boolean[] refused = {false};
    connection.serverFrameHandler(
        frame -> {
          if (frame.command() == Command.ERROR) {
            refused[0] = true;
            errorFrames.response(frame.body());
          }
        });
    connection
        .closed()
        .onComplete(
            v -> {
              open.decrementAndGet();
              if (stopping) {
                return;
              }
              closedByNode.increment();
              lastCloseNanos = System.nanoTime();
              (refused[0] ? refusedCloseTime : unrefusedCloseTime).recordSince(start);
            });
  }

  @Override
  public boolean finished() {
    return total > 0 && openerDone && open.get() == 0;
  }

  @Override
  public void stop() {
    stopping = true;
    if (opener != null) {
      try {
        opener.join(CLOSE_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(client -> closing.add(client.close()));
    Blocking.await(Future.join(closing), CLOSE_TIMEOUT);
  }

  @Override
  public void report(Report report) {
    report.section("attack", "Attack: connections that never log in");
    report.count("attempts", "connections tried", attempts.sum());
    report.count("connected", "TCP connected", connected.sum());
    report.outcomes("connect_failures", "connect failures", connectFailures);
    report.outcomes("error_frames", "refused with ERROR (by code)", errorFrames);
    report.count("closed_by_node", "closed by the node", closedByNode.sum());
    report.count("open_at_end", "still open at the end", Math.max(0, open.get()));
    report.latency("refused_close_time", "connect -> close, refused", refusedCloseTime.summary());
    report.latency(
        "unrefused_close_time", "connect -> close, not refused", unrefusedCloseTime.summary());
    long last = lastCloseNanos;
    double lastClose = last == 0 ? 0 : (last - startNanos) / 1e9;
    report.value(
        "last_close_seconds",
        "last close after attack start",
        last == 0 ? null : Report.round(lastClose),
        last == 0 ? "n/a" : String.format("%.2f s", lastClose));
  }
}
