package io.courier.bench;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.BodyParser;
import io.courier.protocol.Command;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.Wire;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reference every Courier figure is compared with: what Vert.x and loopback do on this machine
 * at this moment with the same frames and no platform in between.
 *
 * <p>A NetServer (one instance per event loop, as Courier's gate) pushes frames of protocol v1's
 * shape to in-process clients: the 16-byte header and a PUSH body made by Courier's own {@link
 * Message#toPushBody()} with the same field values and content size as an s2c message, so the bytes
 * on the wire are the same size. The client decodes with Courier's {@link FrameDecoder} and {@link
 * BodyParser}, and answers each push with a 0x8020 {@code {msgid}} ack as Courier's client does;
 * the server parses the ack and sends the next push. The send time travels in the content, so
 * latency is measured as in s2c (push built → receipt at the client).
 *
 * @implNote Each server connection keeps {@code ceil(window / connections)} pushes unacknowledged
 *     and refills on each ack, on its own event loop. A single driver feeding all connections (like
 *     the bridge sender of s2c) was rejected: it would measure the driver's cross-thread hand-off
 *     rather than what the transport allows, and the baseline is meant to be the best this machine
 *     does.
 */
final class BaselineBench {
  private static final long FIRST_MSGID = 132_271_570_944_012_293L;
  private static final int APPCODE = 201;
  private static final int MSGTYPE = 9;

  private final BenchRun run;
  private final int connections;
  private final int perConnectionWindow;
  private final Duration warmupTime;
  private final Duration duration;
  private final AtomicLong budget;
  private final int contentBytes;

  private final Latency latency = new Latency();
  private final LongAdder pushed = new LongAdder();
  private final Warmup warmup = new Warmup();
  private final Meter received = new Meter();
  private final Meter acked = new Meter();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong msgids = new AtomicLong(FIRST_MSGID);
  private final List<ServerSide> servers = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopped;

  private BaselineBench(
      BenchRun run,
      int connections,
      int window,
      Duration warmupTime,
      Duration duration,
      long messages,
      int contentBytes) {
    this.run = run;
    this.connections = connections;
    this.perConnectionWindow = Math.max(1, (window + connections - 1) / connections);
    this.warmupTime = warmupTime;
    this.duration = duration;
    this.budget = new AtomicLong(messages > 0 ? messages : Long.MAX_VALUE);
    this.contentBytes = contentBytes;
  }

  /** {@code bench baseline}. */
  static Report run(BenchRun run) {
    BenchOptions o = run.options;
    Report report = new Report(Scenario.BASELINE, o);
    measure(
        run,
        o.integer(BenchOption.CONNECTIONS),
        o.integer(BenchOption.WINDOW),
        Duration.ofSeconds(o.integer(BenchOption.WARMUP)),
        Duration.ofSeconds(o.integer(BenchOption.DURATION)),
        o.integer(BenchOption.MESSAGES),
        o.integer(BenchOption.CONTENT_BYTES),
        report);
    return report;
  }

  /**
   * Runs the baseline and adds its figures to {@code report}; the result is its acked/s and
   * latency.
   */
  static Result measure(
      BenchRun run,
      int connections,
      int window,
      Duration warmupTime,
      Duration duration,
      long messages,
      int contentBytes,
      Report report) {
    SourcePlan.checkCount(2 * connections);
    return new BaselineBench(run, connections, window, warmupTime, duration, messages, contentBytes)
        .measure(report);
  }

  /** The baseline's headline figures, for ratios. */
  record Result(double ackedPerSecond, double deliveredPerSecond, Latency.Summary latency) {}

  private Result measure(Report report) {
    int port = freePort();
    run.progress(
        "baseline: server on 127.0.0.1:%d, %d connections, %d pushes unacked per connection",
        port, connections, perConnectionWindow);
    String deployment =
        Blocking.await(
            run.vertx.deployVerticle(
                () -> new ServerVerticle(port),
                new DeploymentOptions().setInstances(run.loops.size())),
            Duration.ofSeconds(30));
    NetClient client = run.vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    try {
      List<Future<NetSocket>> connecting = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Promise<NetSocket> connected = Promise.promise();
        run.loops
            .get(i)
            .runOnContext(
                v ->
                    client
                        .connect(port, "127.0.0.1")
                        .onSuccess(socket -> new ClientSide(socket))
                        .onComplete(connected));
        connecting.add(connected.future());
      }
      Blocking.await(Future.all(connecting), BenchRun.setupDeadline(connections));
      if (!Blocking.until(() -> servers.size() == connections, Duration.ofSeconds(10))) {
        throw new Blocking.BenchFailure(
            "the baseline server saw " + servers.size() + " of " + connections + " connections");
      }
      BenchRun.CpuWindow cpu = run.cpu();
      List<ServerSide> all = List.copyOf(servers);
      for (ServerSide server : all) {
        server.context.runOnContext(v -> server.pump());
      }
      Blocking.until(() -> budget.get() < 1 && outstanding.get() == 0, warmupTime);
      warmup.begin();
      long start = warmup.startNanos();
      Blocking.until(() -> budget.get() < 1 && outstanding.get() == 0, duration);
      stopped = true;
      boolean drained = Blocking.until(() -> outstanding.get() == 0, Duration.ofSeconds(10));
      Latency.Summary summary = latency.summary();
      report.section("baseline", "Vert.x push/ack baseline (same process, loopback)");
      report.value("connections", "connections", connections, String.format("%,d", connections));
      report.value(
          "window",
          "pushes unacked (in all)",
          perConnectionWindow * connections,
          String.format(
              "%,d (%d per connection)", perConnectionWindow * connections, perConnectionWindow));
      report.value("frame_bytes", "push frame size", pushFrameBytes(), pushFrameBytes() + " bytes");
      report.count("pushed", "pushes sent, in all", pushed.sum());
      report.rate(
          "delivered",
          "delivered (client), measured",
          received.count(),
          received.secondsSince(start));
      report.rate("acked", "acked (server), measured", acked.count(), acked.secondsSince(start));
      report.latency("latency", "push -> receipt", summary);
      if (!drained) {
        report.note(outstanding.get() + " pushes still unacknowledged 10 s after sending stopped");
      }
      cpu.report(report);
      return new Result(acked.perSecondSince(start), received.perSecondSince(start), summary);
    } finally {
      stopped = true;
      Blocking.await(
          client.close().transform(v -> run.vertx.undeploy(deployment)), Duration.ofSeconds(30));
    }
  }

  private int pushFrameBytes() {
    return Wire.HEADER_LENGTH + pushBody(FIRST_MSGID).toBuffer().length();
  }

  /** The body Courier pushes for an s2c message: same fields, same value sizes. */
  private JsonObject pushBody(long msgid) {
    return new Message(
            msgid,
            Kind.S2C,
            "",
            0,
            "s2c-" + 1000,
            APPCODE,
            MSGTYPE,
            Stamp.content(System.nanoTime(), contentBytes),
            System.currentTimeMillis(),
            "3f9c2a7d1e0b4c55")
        .toPushBody();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class ServerVerticle extends VerticleBase {
    private final int port;

    ServerVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createNetServer(new NetServerOptions().setTcpNoDelay(true))
          .connectHandler(socket -> servers.add(new ServerSide(socket, context)))
          .listen(port, "127.0.0.1");
    }
  }

  /** The server end of one connection: pushes, reads acks. Confined to its context. */
  private final class ServerSide implements FrameDecoder.Sink {
    private final NetSocket socket;
    private final Context context;
    private final FrameDecoder decoder = new FrameDecoder(Wire.DEFAULT_MAX_BODY, this);
    private int unacked;
    private long seq;

    ServerSide(NetSocket socket, Context context) {
      this.socket = socket;
      this.context = context;
      socket.handler(decoder::feed);
    }

    void pump() {
      while (!stopped && unacked < perConnectionWindow && budget.getAndDecrement() >= 1) {
        unacked++;
        outstanding.incrementAndGet();
        pushed.increment();
        socket.write(
            FrameEncoder.encode(Command.PUSH.code(), ++seq, pushBody(msgids.getAndIncrement())));
      }
    }

    @Override
    public void frame(Frame frame) {
      if (frame.cmd() != Command.PUSH.responseCode()) {
        return;
      }
      try {
        BodyParser.parse(frame.body()).getString("msgid");
      } catch (MalformedBodyException e) {
        socket.close();
        return;
      }
      unacked--;
      outstanding.decrementAndGet();
      if (warmup.measuring()) {
        acked.mark();
      }
      pump();
    }

    @Override
    public void violation(FrameViolation violation) {
      socket.close();
    }
  }

  /** The client end of one connection: reads pushes, acks each. */
  private final class ClientSide implements FrameDecoder.Sink {
    private final NetSocket socket;
    private final FrameDecoder decoder = new FrameDecoder(64 * 1024 * 1024, this);

    ClientSide(NetSocket socket) {
      this.socket = socket;
      socket.handler(decoder::feed);
    }

    @Override
    public void frame(Frame frame) {
      if (frame.cmd() != Command.PUSH.code()) {
        return;
      }
      JsonObject body;
      try {
        body = BodyParser.parse(frame.body());
      } catch (MalformedBodyException e) {
        socket.close();
        return;
      }
      if (warmup.measuring()) {
        long stamp = Stamp.parse(body.getString("content"));
        if (stamp != Stamp.NONE) {
          latency.recordSince(stamp);
        }
        received.mark();
      }
      socket.write(FrameEncoder.pushAck(frame.seq(), body.getString("msgid")));
    }

    @Override
    public void violation(FrameViolation violation) {
      socket.close();
    }
  }
}
