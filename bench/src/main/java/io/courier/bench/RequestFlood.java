package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.protocol.Command;
import io.courier.tools.TokenSigner;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code frame-flood} and {@code pull-flood}: logged-in connections that each keep {@code window}
 * requests of one command outstanding (PING, or PULL of the largest page), as fast as the node
 * answers. A connection the node kicks or closes is opened and logged in again, as an attacker
 * would, so the attack lasts the whole duration.
 */
final class RequestFlood implements Attack {
  private static final long RECONNECT_MS = 100;

  private final BenchRun run;
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
  private final List<String> tokens = new ArrayList<>();
  private final LongAdder sessions = new LongAdder();
  private final Outcomes loginFailures = new Outcomes();
  private final CourierClient client;
  private volatile boolean stopping;
  private volatile long startNanos;
  private volatile long stopNanos;
  private final Runnable prepareStores;

  RequestFlood(
      BenchRun run,
      String sourceAddress,
      List<String> uids,
      int appcode,
      Command command,
      JsonObject body,
      int window,
      String title,
      Runnable prepareStores) {
    this.run = run;
    this.client =
        new CourierClient(
            run.vertx,
            new NetClientOptions().setLocalAddress(sourceAddress).setReuseAddress(false),
            run.requestTimeout());
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
    TokenSigner signer = run.signer(appcode);
    for (String uid : uids) {
      tokens.add(signer.sign(uid, appcode));
    }
  }

  @Override
  public void start() {
    startNanos = System.nanoTime();
    for (int i = 0; i < uids.size(); i++) {
      int index = i;
      run.loops.get(i).runOnContext(v -> session(index));
    }
  }

  /** Connects and logs in attacker {@code index}, floods until the node closes, then again. */
  private void session(int index) {
    if (stopping) {
      return;
    }
    client
        .connect(run.options.integer(BenchOption.GATE_PORT), run.host())
        .compose(
            connection -> {
              long[] loggedIn = {0};
              connection.serverFrameHandler(
                  frame -> {
                    if (frame.command() == Command.KICK) {
                      kicks.response(frame.body());
                      kickTime.recordSince(loggedIn[0]);
                    }
                  });
              return connection
                  .login(uids.get(index), appcode, tokens.get(index))
                  .map(
                      body -> {
                        if (Outcomes.codeOf(body) != 0) {
                          connection.close();
                          throw new IllegalStateException("login code " + Outcomes.codeOf(body));
                        }
                        loggedIn[0] = System.nanoTime();
                        return connection;
                      });
            })
        .onFailure(
            e -> {
              loginFailures.count(
                  e.getMessage() != null && e.getMessage().startsWith("login code")
                      ? e.getMessage()
                      : Outcomes.kindOf(e));
              run.vertx.setTimer(RECONNECT_MS, id -> session(index));
            })
        .onSuccess(
            connection -> {
              sessions.increment();
              connection
                  .closed()
                  .onComplete(
                      v -> {
                        if (!stopping) {
                          closed.increment();
                          run.vertx.setTimer(RECONNECT_MS, id -> session(index));
                        }
                      });
              pump(connection, new int[] {0});
            });
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
    return false;
  }

  @Override
  public void stop() {
    stopping = true;
    stopNanos = System.nanoTime();
    Blocking.await(client.close(), Duration.ofSeconds(30));
  }

  @Override
  public void report(Report report) {
    long seconds = Math.max(1, (stopNanos - startNanos) / 1_000_000_000L);
    report.section("attack", title);
    report.count("connections", "attacking connections at once", uids.size());
    report.count("sessions", "logged-in sessions (reconnects after a cut)", sessions.sum());
    report.outcomes("login_failures", "login failures", loginFailures);
    report.count("sent", command + " sent", sent.sum());
    report.outcomes("answers", "answers (by code)", answers);
    report.value(
        "answered_bytes",
        "bytes of answer bodies",
        answeredBytes.get(),
        String.format(
            "%,d  (~%,d per second)", answeredBytes.get(), answeredBytes.get() / seconds));
    report.outcomes("kicks", "KICK (by code)", kicks);
    report.latency("kick_time", "logged in -> KICK (per session)", kickTime.summary());
    report.count("closed_by_node", "connections closed by the node", closed.sum());
  }
}
