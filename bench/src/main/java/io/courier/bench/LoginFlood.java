package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.protocol.Command;
import io.courier.tools.TokenSigner;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code login-flood}: connections from one source address send LOGIN with tokens signed by a wrong
 * secret, a new uid each time (so the per-uid login rate never answers first), one LOGIN at a time
 * per connection, reconnecting whenever the node closes one.
 */
final class LoginFlood implements Attack {
  private static final long RECONNECT_MS = 5;
  private static final int TOKEN_TTL_SECONDS = 3600;

  private final BenchRun run;
  private final int connections;
  private final int appcode;
  private final CourierClient client;
  private final TokenSigner wrongSigner;
  private final AtomicLong nextUid = new AtomicLong();
  private final LongAdder connects = new LongAdder();
  private final LongAdder logins = new LongAdder();
  private final Outcomes loginAnswers = new Outcomes();
  private final Outcomes connectRefusals = new Outcomes();
  private final AtomicLong firstRefusalNanos = new AtomicLong();
  private volatile boolean stopping;
  private volatile long startNanos;

  LoginFlood(BenchRun run, String sourceAddress, int connections, int appcode) {
    this.run = run;
    this.connections = connections;
    this.appcode = appcode;
    this.client =
        new CourierClient(
            run.vertx,
            new NetClientOptions().setLocalAddress(sourceAddress).setReuseAddress(false),
            run.requestTimeout());
    this.wrongSigner =
        new TokenSigner(run.vertx, "not-the-secret-" + run.runTag, TOKEN_TTL_SECONDS);
  }

  @Override
  public void start() {
    startNanos = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      int index = i;
      run.loops.get(i).runOnContext(v -> connect(index));
    }
  }

  private void connect(int index) {
    if (stopping) {
      return;
    }
    connects.increment();
    client
        .connect(run.options.integer(BenchOption.GATE_PORT), run.host())
        .onFailure(
            e -> {
              connectRefusals.failure(e);
              run.vertx.setTimer(RECONNECT_MS, id -> connect(index));
            })
        .onSuccess(
            connection -> {
              connection.serverFrameHandler(
                  frame -> {
                    if (frame.command() == Command.ERROR) {
                      connectRefusals.response(frame.body());
                      firstRefusalNanos.compareAndSet(0, System.nanoTime());
                    }
                  });
              connection
                  .closed()
                  .onComplete(v -> run.vertx.setTimer(RECONNECT_MS, id -> connect(index)));
              login(connection);
            });
  }

  private void login(CourierConnection connection) {
    if (stopping) {
      connection.close();
      return;
    }
    String uid = "flood-" + run.runTag + "-" + nextUid.incrementAndGet();
    logins.increment();
    connection
        .login(uid, appcode, wrongSigner.sign(uid, appcode))
        .onSuccess(
            body -> {
              loginAnswers.count(Integer.toString(Outcomes.codeOf(body)));
              if (Outcomes.codeOf(body) == 429) {
                firstRefusalNanos.compareAndSet(0, System.nanoTime());
              }
              login(connection);
            });
  }

  @Override
  public boolean finished() {
    return false;
  }

  @Override
  public void stop() {
    stopping = true;
    Blocking.await(client.close(), Duration.ofSeconds(30));
  }

  @Override
  public void report(Report report) {
    report.section("attack", "Attack: LOGIN with bad tokens from one address");
    report.count("connects", "connections opened", connects.sum());
    report.count("logins", "LOGINs sent", logins.sum());
    report.outcomes("login_answers", "LOGIN answers (by code)", loginAnswers);
    report.outcomes("connect_refusals", "connections refused", connectRefusals);
    long first = firstRefusalNanos.get();
    report.value(
        "first_refusal_seconds",
        "first 429 after attack start",
        first == 0 ? null : Report.round((first - startNanos) / 1e9),
        first == 0 ? "none" : String.format("%.2f s", (first - startNanos) / 1e9));
  }
}
