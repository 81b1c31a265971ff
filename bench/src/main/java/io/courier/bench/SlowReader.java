package io.courier.bench;

import io.courier.protocol.BodyParser;
import io.courier.protocol.Command;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code slow-reader}: a logged-in connection stops reading its socket while a business sends it
 * qos-0 pushes over the TCP bridge. The node's cut is seen on its admin listener ({@code
 * courier_gate_cut_total{limit="pending_bytes"|"write_stall"}}, polled every 100 ms); afterwards
 * the reader resumes and counts what reached it, so pushes the node accepted for it but never
 * delivered are those it held (its queue and the kernel's buffers) when it cut the connection.
 *
 * @implNote The reader is a plain socket, not the project's client: pausing it is the point, and
 *     the client library reads continuously.
 */
final class SlowReader implements Attack {
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(15);
  private static final int WINDOW = 64;
  private static final long POLL_MS = 100;
  private static final String CUT = "courier_gate_cut_total";
  private static final String[] CUT_LIMITS = {"pending_bytes", "write_stall"};
  private static final Duration READ_REST = Duration.ofSeconds(5);

  private final BenchRun run;
  private final String sourceAddress;
  private final int appcode;
  private final int messages;
  private final int contentBytes;
  private final HttpClient http;
  private final int adminPort;
  private final String uid;
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Outcomes failures = new Outcomes();
  private final LongAdder answered = new LongAdder();
  private final LongAdder pushesRead = new LongAdder();
  private final AtomicLong pushBytesRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final Map<String, Double> cutsBefore = new ConcurrentHashMap<>();
  private final Map<String, Double> cutsAfter = new ConcurrentHashMap<>();
  private NetClient netClient;
  private NetSocket socket;
  private BridgeClient bridge;
  private FrameDecoder decoder;
  private Promise<JsonObject> loginAnswer;
  private final Promise<Void> socketClosed = Promise.promise();
  private volatile boolean stopping;
  private volatile long startNanos;
  private volatile long cutNanos;
  private volatile long sentNanos;
  private Thread poller;

  SlowReader(
      BenchRun run,
      String sourceAddress,
      int appcode,
      int messages,
      int contentBytes,
      HttpClient http,
      int adminPort) {
    this.run = run;
    this.sourceAddress = sourceAddress;
    this.appcode = appcode;
    this.messages = messages;
    this.contentBytes = contentBytes;
    this.http = http;
    this.adminPort = adminPort;
    this.uid = "slow-" + run.runTag;
  }

  @Override
  public void prepare() {
    String token = run.signer(appcode).sign(uid, appcode);
    Promise<JsonObject> login = Promise.promise();
    run.loops
        .get(0)
        .runOnContext(
            v -> {
              loginAnswer = login;
              netClient =
                  run.vertx.createNetClient(
                      new NetClientOptions().setLocalAddress(sourceAddress).setReuseAddress(false));
              decoder = new FrameDecoder(64 * 1024 * 1024, new Sink());
              netClient
                  .connect(run.options.integer(BenchOption.GATE_PORT), run.host())
                  .onFailure(login::tryFail)
                  .onSuccess(
                      s -> {
                        socket = s;
                        s.handler(
                            chunk -> {
                              bytesRead.addAndGet(chunk.length());
                              decoder.feed(chunk);
                            });
                        s.closeHandler(
                            x -> {
                              socketClosed.tryComplete();
                              login.tryFail(
                                  new IllegalStateException(
                                      "the node closed the slow reader before answering its LOGIN"));
                            });
                        JsonObject body =
                            new JsonObject()
                                .put("uid", uid)
                                .put("appcode", appcode)
                                .put("token", token);
                        s.write(FrameEncoder.encode(Command.LOGIN.code(), 1, body));
                      });
            });
    JsonObject answer = Blocking.await(login.future(), SETUP_TIMEOUT);
    if (Outcomes.codeOf(answer) != 0) {
      throw new Blocking.BenchFailure("the slow reader's LOGIN was answered " + answer.encode());
    }
    bridge =
        Blocking.await(
            BridgeClient.connect(
                run.vertx,
                run.loops.get(0),
                run.host(),
                run.options.integer(BenchOption.BRIDGE_PORT),
                run.requestTimeout().toMillis()),
            SETUP_TIMEOUT);
  }

  private final class Sink implements FrameDecoder.Sink {
    @Override
    public void frame(Frame frame) {
      if (frame.isResponse() && frame.seq() == 1 && loginAnswer != null) {
        try {
          loginAnswer.tryComplete(BodyParser.parse(frame.body()));
        } catch (MalformedBodyException e) {
          loginAnswer.tryFail(e);
        }
      } else if (frame.cmd() == Command.PUSH.code()) {
        pushesRead.increment();
        pushBytesRead.addAndGet(16L + frame.body().length());
      }
    }

    @Override
    public void violation(FrameViolation violation) {
      socket.close();
    }
  }

  @Override
  public void start() {
    MetricsText metrics = MetricsText.fetch(http, run.host(), adminPort);
    for (String limit : CUT_LIMITS) {
      cutsBefore.put(limit, metrics == null ? 0 : metrics.sum(CUT, "limit", limit));
    }
    startNanos = System.nanoTime();
    poller = new Thread(this::pollCuts, "attack-cut-poller");
    poller.setDaemon(true);
    poller.start();
    run.loops
        .get(0)
        .runOnContext(
            v -> {
              socket.pause();
              send(new int[] {0, 0});
            });
  }

  private void pollCuts() {
    while (!stopping && cutNanos == 0) {
      MetricsText metrics = MetricsText.fetch(http, run.host(), adminPort);
      if (metrics != null) {
        for (String limit : CUT_LIMITS) {
          double now = metrics.sum(CUT, "limit", limit);
          if (now > cutsBefore.get(limit)) {
            cutsAfter.put(limit, now - cutsBefore.get(limit));
            cutNanos = System.nanoTime();
          }
        }
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@code state}: messages sent, requests in flight. Runs on the bridge's context. */
  private void send(int[] state) {
    String content = "x".repeat(contentBytes);
    while (!stopping && state[1] < WINDOW && state[0] < messages) {
      state[0]++;
      state[1]++;
      JsonObject body =
          new JsonObject()
              .put("to_uid", uid)
              .put("to_appcode", appcode)
              .put("msgtype", 9)
              .put("content", content)
              .put("qos", 0);
      bridge
          .request("courier.s2c", body)
          .onComplete(
              reply -> {
                state[1]--;
                answered.increment();
                if (reply.failed()) {
                  failures.failure(reply.cause());
                } else if (Outcomes.codeOf(reply.result()) != 0) {
                  failures.response(reply.result());
                } else {
                  statuses
                      .computeIfAbsent(
                          reply.result().getString("status", "none"), s -> new LongAdder())
                      .increment();
                }
                if (state[0] == messages && state[1] == 0) {
                  sentNanos = System.nanoTime();
                }
                send(state);
              });
    }
  }

  @Override
  public boolean finished() {
    return sentNanos != 0 && cutNanos != 0;
  }

  @Override
  public void stop() {
    stopping = true;
    try {
      if (poller != null) {
        poller.join(Duration.ofSeconds(10).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    run.loops.get(0).runOnContext(v -> socket.resume());
    Future<Void> closed = socketClosed.future();
    Blocking.until(closed::isComplete, READ_REST);
    bridge.close();
    Blocking.await(netClient.close(), Duration.ofSeconds(30));
  }

  @Override
  public void report(Report report) {
    int frameBytes = pushesRead.sum() == 0 ? 0 : (int) (pushBytesRead.get() / pushesRead.sum());
    long pushed = statuses.getOrDefault("pushed", new LongAdder()).sum();
    long unread = Math.max(0, pushed - pushesRead.sum());
    report.section("attack", "Attack: a logged-in reader that stops reading");
    report.count("sent", "qos-0 courier.s2c sent to it", answered.sum());
    JsonObject byStatus = new JsonObject();
    statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
    report.value("status", "answers by status", byStatus, byStatus.encode());
    report.outcomes("failures", "refused / failed", failures);
    long cut = cutNanos;
    report.value(
        "cut_seconds",
        "first push -> cut",
        cut == 0 ? null : Report.round((cut - startNanos) / 1e9),
        cut == 0
            ? "not cut"
            : String.format("%.2f s (polled every %d ms)", (cut - startNanos) / 1e9, POLL_MS));
    JsonObject reasons = new JsonObject();
    cutsAfter.forEach(reasons::put);
    report.value("cut_by", "cut by limit", reasons, reasons.isEmpty() ? "none" : reasons.encode());
    report.count("pushes_read", "pushes read after resuming", pushesRead.sum());
    report.value(
        "push_frame_bytes", "bytes per push frame", frameBytes, String.format("%,d", frameBytes));
    report.count("bytes_read", "bytes read after resuming", bytesRead.get());
    report.value(
        "pushed_unread",
        "pushed but never read",
        unread,
        String.format(
            "%,d pushes, %,d bytes (held by the node and kernel buffers at the cut)",
            unread, unread * frameBytes));
    report.value(
        "socket_closed",
        "reader saw the close",
        socketClosed.future().isComplete(),
        Boolean.toString(socketClosed.future().isComplete()));
  }
}
