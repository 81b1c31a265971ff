package io.courier.bench;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code frame-flood} and {@code pull-flood}: logged-in connections that each keep {@code window}
 * requests of one command outstanding (PING, or PULL of the largest page), as fast as the node
 * answers. A connection the node kicks or closes stops; it is not reopened.
 */
final class RequestFlood implements Attack {
  private final BenchRun run;
  private final Fleet fleet;
  private final List<String> uids;
  private final int appcode;
  private final Command command;
  private final JsonObject body;
  private final int window;
  private final String title;
  private final Outcomes answers = new Outcomes();
  private final Outcomes kicks = new Outcomes();
  private final Latency kickTime = new Latency();
  private final LongAdder closed = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final AtomicLong answeredBytes = new AtomicLong();
  private List<Fleet.Member> members = List.of();
  private volatile boolean stopping;
  private volatile long startNanos;
  private volatile long stopNanos;
  private final Runnable prepareStores;

  RequestFlood(
      BenchRun run,
      Fleet fleet,
      List<String> uids,
      int appcode,
      Command command,
      JsonObject body,
      int window,
      String title,
      Runnable prepareStores) {
    this.run = run;
    this.fleet = fleet;
    this.uids = uids;
    this.appcode = appcode;
    this.command = command;
    this.body = body;
    this.window = window;
    this.title = title;
    this.prepareStores = prepareStores;
  }

  @Override
  public void prepare() {
    prepareStores.run();
    try {
      members =
          fleet.open(
              uids,
              appcode,
              run.signer(appcode),
              uids.size(),
              this::onServerFrame,
              BenchRun.setupDeadline(uids.size()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Blocking.BenchFailure("interrupted");
    }
    if (members.stream().anyMatch(member -> member == null)) {
      throw new Blocking.BenchFailure(
          "the attacking users could not all log in: " + fleet.loginFailures.text());
    }
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    return frame -> {
      if (frame.command() == Command.KICK) {
        kicks.response(frame.body());
        kickTime.recordSince(startNanos);
      }
    };
  }

  @Override
  public void start() {
    startNanos = System.nanoTime();
    for (Fleet.Member member : members) {
      member
          .connection()
          .closed()
          .onComplete(
              v -> {
                if (!stopping) {
                  closed.increment();
                }
              });
      member.context().runOnContext(v -> pump(member.connection(), new int[] {0}));
    }
  }

  private void pump(CourierConnection connection, int[] inFlight) {
    while (!stopping && inFlight[0] < window && !connection.closed().isComplete()) {
      inFlight[0]++;
      sent.increment();
      connection
          .request(command, body.copy())
          .onComplete(
              answer -> {
                inFlight[0]--;
                if (answer.failed()) {
                  answers.failure(answer.cause());
                  return;
                }
                answers.count(Integer.toString(Outcomes.codeOf(answer.result())));
                answeredBytes.addAndGet(answer.result().toBuffer().length());
                pump(connection, inFlight);
              });
    }
  }

  @Override
  public boolean finished() {
    return !members.isEmpty() && closed.sum() == members.size();
  }

  @Override
  public void stop() {
    stopping = true;
    stopNanos = System.nanoTime();
    fleet.close(Duration.ofSeconds(30));
  }

  @Override
  public void report(Report report) {
    long seconds = Math.max(1, (stopNanos - startNanos) / 1_000_000_000L);
    report.section("attack", title);
    report.count("connections", "attacking connections", members.size());
    report.count("sent", command + " sent", sent.sum());
    report.outcomes("answers", "answers (by code)", answers);
    report.value(
        "answered_bytes",
        "bytes of answer bodies",
        answeredBytes.get(),
        String.format(
            "%,d  (~%,d per second)", answeredBytes.get(), answeredBytes.get() / seconds));
    report.outcomes("kicks", "KICK (by code)", kicks);
    report.latency("kick_time", "attack start -> KICK", kickTime.summary());
    report.count("closed_by_node", "connections closed", closed.sum());
  }
}
