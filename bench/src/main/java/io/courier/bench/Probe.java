package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The well-behaved client of {@code bench attack}: from a source address of its own it connects,
 * logs in, sends {@link #PINGS_PER_SESSION} PINGs {@link #PING_INTERVAL_MS} apart, closes and
 * starts again, for as long as it runs. What it saw is collected per phase ({@link #phase()} starts
 * a new one), so the same client gives the figures without and with the attack.
 *
 * @implNote One login a second and 50 PINGs a second stay well inside every per-connection and
 *     per-uid limit of the gate (5 logins a second per uid, 100 frames a second): whatever it is
 *     refused is the attack's doing.
 */
final class Probe {
  static final int PINGS_PER_SESSION = 20;
  static final long PING_INTERVAL_MS = 50;
  private static final long RETRY_MS = 200;

  /** What the probe saw during one phase. */
  static final class Stats {
    final LongAdder loginAttempts = new LongAdder();
    final LongAdder loginOk = new LongAdder();
    final Outcomes loginFailures = new Outcomes();
    final Latency loginLatency = new Latency();
    final Latency pingLatency = new Latency();
    final Outcomes pingFailures = new Outcomes();

    /** Adds this phase's figures to {@code report} as a section {@code key}. */
    void report(Report report, String key, String title) {
      long attempts = loginAttempts.sum();
      long ok = loginOk.sum();
      report.section(key, title);
      report.count("login_attempts", "logins tried", attempts);
      report.value(
          "login_success_percent",
          "logins that succeeded",
          attempts == 0 ? null : Report.round(100.0 * ok / attempts),
          attempts == 0
              ? "n/a"
              : String.format("%.1f%%  (%,d of %,d)", 100.0 * ok / attempts, ok, attempts));
      report.outcomes("login_failures", "login failures", loginFailures);
      report.latency("login_latency", "LOGIN -> 0x8001", loginLatency.summary());
      report.latency("ping_latency", "PING -> 0x8003", pingLatency.summary());
      report.outcomes("ping_failures", "PING failures", pingFailures);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final CourierClient client;
  private final String host;
  private final int port;
  private final String uid;
  private final int appcode;
  private final String token;
  private final AtomicReference<Stats> stats = new AtomicReference<>(new Stats());
  private volatile boolean stopped;

  /**
   * Runs on a Vert.x of its own with one event loop, so that its timings are not queued behind the
   * attack's work in the bench's event loops.
   */
  Probe(
      String sourceAddress,
      String host,
      int port,
      Duration requestTimeout,
      String uid,
      int appcode,
      String token) {
    this.vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    this.context = vertx.getOrCreateContext();
    this.client =
        new CourierClient(
            vertx,
            new NetClientOptions().setLocalAddress(sourceAddress).setReuseAddress(false),
            requestTimeout);
    this.host = host;
    this.port = port;
    this.uid = uid;
    this.appcode = appcode;
    this.token = token;
  }

  void start() {
    context.runOnContext(v -> session());
  }

  /** Ends the current phase: returns its figures and starts collecting the next one's. */
  Stats phase() {
    return stats.getAndSet(new Stats());
  }

  Future<Void> stop() {
    stopped = true;
    return client.close().eventually(vertx::close);
  }

  private void session() {
    if (stopped) {
      return;
    }
    Stats login = stats.get();
    login.loginAttempts.increment();
    long start = System.nanoTime();
    client
        .connect(port, host)
        .onFailure(
            e -> {
              login.loginFailures.count("connect: " + Outcomes.kindOf(e));
              vertx.setTimer(RETRY_MS, id -> session());
            })
        .onSuccess(
            connection ->
                connection
                    .login(uid, appcode, token)
                    .onComplete(
                        answer -> {
                          if (answer.succeeded() && Outcomes.codeOf(answer.result()) == 0) {
                            login.loginLatency.recordSince(start);
                            login.loginOk.increment();
                            pings(connection, 0, new ArrayList<>());
                          } else {
                            if (answer.succeeded()) {
                              login.loginFailures.count(
                                  "login code " + Outcomes.codeOf(answer.result()));
                            } else {
                              login.loginFailures.count(
                                  "login: " + Outcomes.kindOf(answer.cause()));
                            }
                            connection.close();
                            vertx.setTimer(RETRY_MS, id -> session());
                          }
                        }));
  }

  /** Sends PING number {@code sent}, then the next one later; closes and starts again after all. */
  private void pings(CourierConnection connection, int sent, List<Future<JsonObject>> answers) {
    if (stopped || sent == PINGS_PER_SESSION) {
      Future.join(answers).onComplete(all -> connection.close().onComplete(closed -> session()));
      return;
    }
    Stats ping = stats.get();
    long start = System.nanoTime();
    answers.add(
        connection
            .ping()
            .andThen(
                answer -> {
                  if (answer.failed()) {
                    ping.pingFailures.failure(answer.cause());
                  } else if (Outcomes.codeOf(answer.result()) != 0) {
                    ping.pingFailures.response(answer.result());
                  } else {
                    ping.pingLatency.recordSince(start);
                  }
                }));
    vertx.setTimer(PING_INTERVAL_MS, id -> pings(connection, sent + 1, answers));
  }
}
