package io.courier.bench;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code msgtype-spray}: clients send C2C with {@code messages} distinct msgtypes (0, 1, 2 …, each
 * once) to one online receiver that acknowledges every push; the node's {@code /metrics} series are
 * counted before and after.
 */
final class MsgtypeSpray implements Attack {
  private static final int WINDOW = 8;
  private static final String DELIVERY = "courier_delivery_total";

  private final BenchRun run;
  private final Fleet fleet;
  private final List<String> uids;
  private final int appcode;
  private final int messages;
  private final HttpClient http;
  private final int adminPort;
  private final LongAdder sent = new LongAdder();
  private final Outcomes answers = new Outcomes();
  private final LongAdder pushesReceived = new LongAdder();
  private final AtomicInteger unfinished = new AtomicInteger();
  private List<Fleet.Member> members = List.of();
  private MetricsText before;
  private volatile boolean stopping;

  /** {@code uids}: the receiver first, then the spraying clients. */
  MsgtypeSpray(
      BenchRun run,
      Fleet fleet,
      List<String> uids,
      int appcode,
      int messages,
      HttpClient http,
      int adminPort) {
    this.run = run;
    this.fleet = fleet;
    this.uids = uids;
    this.appcode = appcode;
    this.messages = messages;
    this.http = http;
    this.adminPort = adminPort;
  }

  @Override
  public void prepare() {
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
          "the spraying users could not all log in: " + fleet.loginFailures.text());
    }
    before = MetricsText.fetch(http, run.host(), adminPort);
  }

  private Consumer<ServerFrame> onServerFrame(int index, CourierConnection connection) {
    return frame -> {
      if (index == 0 && frame.command() == Command.PUSH) {
        pushesReceived.increment();
        connection.ackPush(frame);
      }
    };
  }

  @Override
  public void start() {
    int senders = members.size() - 1;
    unfinished.set(senders);
    for (int s = 0; s < senders; s++) {
      Fleet.Member member = members.get(s + 1);
      List<Integer> msgtypes = new ArrayList<>();
      for (int msgtype = s; msgtype < messages; msgtype += senders) {
        msgtypes.add(msgtype);
      }
      member.context().runOnContext(v -> pump(member.connection(), msgtypes, new int[] {0, 0}));
    }
  }

  /** {@code state}: next index into {@code msgtypes}, requests in flight. */
  private void pump(CourierConnection connection, List<Integer> msgtypes, int[] state) {
    while (!stopping && state[1] < WINDOW && state[0] < msgtypes.size()) {
      int msgtype = msgtypes.get(state[0]++);
      state[1]++;
      sent.increment();
      JsonObject body =
          new JsonObject()
              .put("to_uid", uids.get(0))
              .put("to_appcode", appcode)
              .put("cmid", run.runTag + "-spray-" + msgtype)
              .put("msgtype", msgtype)
              .put("content", "spray");
      connection
          .request(Command.C2C, body)
          .onComplete(
              answer -> {
                state[1]--;
                if (answer.failed()) {
                  answers.failure(answer.cause());
                } else {
                  answers.count(Integer.toString(Outcomes.codeOf(answer.result())));
                }
                pump(connection, msgtypes, state);
              });
    }
    if (state[1] == 0 && (stopping || state[0] == msgtypes.size())) {
      unfinished.decrementAndGet();
    }
  }

  @Override
  public boolean finished() {
    return !members.isEmpty() && unfinished.get() <= 0;
  }

  @Override
  public void stop() {
    stopping = true;
  }

  @Override
  public void report(Report report) {
    MetricsText after = MetricsText.fetch(http, run.host(), adminPort);
    fleet.close(Duration.ofSeconds(30));
    report.section("attack", "Attack: C2C with distinct msgtypes");
    report.count("spraying_clients", "spraying clients", members.size() - 1);
    report.count("sent", "C2C sent (one msgtype each)", sent.sum());
    report.outcomes("answers", "answers (by code)", answers);
    report.count("pushes_received", "pushes at the receiver", pushesReceived.sum());
    if (before == null || after == null) {
      report.note(
          "the admin listener did not answer GET /metrics on "
              + run.host()
              + ":"
              + adminPort
              + " (--admin-port): series not counted");
      return;
    }
    report.count("series_before", "/metrics series before", before.series());
    report.count("series_after", "/metrics series after", after.series());
    report.count("series_added", "series added", after.series() - before.series());
    JsonObject added = new JsonObject();
    before.addedIn(after).forEach(added::put);
    report.value("series_added_by_metric", "added, by metric", added, added.encode());
    report.count("delivery_series_before", DELIVERY + " series before", before.series(DELIVERY));
    report.count("delivery_series_after", DELIVERY + " series after", after.series(DELIVERY));
  }
}
