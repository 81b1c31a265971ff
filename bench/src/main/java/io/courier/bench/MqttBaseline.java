package io.courier.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The MQTT baseline ({@code --with-mqtt}): the load of {@code s2c} or {@code c2s} driven against an
 * MQTT broker (Mosquitto) with Vert.x's own MQTT client, in the same bench process and the same
 * minutes as the Courier run, so that Courier can be read as a fraction of what a mature broker
 * does on this machine at that moment.
 *
 * <ul>
 *   <li><b>s2c</b>: {@code receivers} subscribers, one topic each ({@code
 *       courier-bench/<run>/s2c/<i>}), at the scenario's qos; {@code senders} publishers publish
 *       round-robin to them with {@code window} messages outstanding each. Under QoS 1 a message is
 *       outstanding until the broker's PUBACK (as Courier's bridge reply comes once the node
 *       accepted); under QoS 0 MQTT has no answer, so it is outstanding until a subscriber got it
 *       (stricter than Courier's qos-0 reply, which comes once the push is written).
 *   <li><b>c2s</b>: {@code clients} publishers each publish a position at QoS 1 every interval with
 *       at most {@code window} unacknowledged (a tick that finds the window full is skipped, as in
 *       c2s), to {@code consumers} subscribers sharing the topics ({@code $share/…} when more than
 *       one). Accepted = PUBACK to the publisher; latency to the consumer is send → arrival.
 * </ul>
 *
 * Each payload starts with the message's sequence number, then the send-time stamp ({@link Stamp})
 * padded to the content size, so lost and duplicated messages are counted by the same {@link
 * DeliveryLedger} as Courier's msgids.
 */
final class MqttBaseline {
  /** Headline figures of one MQTT run, for ratios. */
  record Result(double acceptedPerSecond, double deliveredPerSecond, Latency.Summary latency) {}

  private static final String TOPIC_ROOT = "courier-bench/";

  /** MQTT packet ids are 16 bits: no more QoS 1 messages can await their PUBACK on one client. */
  private static final int MAX_IN_FLIGHT = 65_535;

  /** An s2c message's key carries its publisher's index in the low bits (--senders <= 64). */
  private static final int PUBLISHER_BITS = 6;

  private final BenchRun run;
  private final int port;
  private final String prefix;
  private final DeliveryLedger ledger = new DeliveryLedger();
  private final Latency deliveryLatency = new Latency();
  private final Latency ackLatency = new Latency();
  private final Warmup warmup = new Warmup();
  private final Meter acceptedMeter = new Meter();
  private final Meter deliveredMeter = new Meter();
  private final LongAdder published = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong sequence = new AtomicLong();
  private final List<MqttClient> clients = new ArrayList<>();
  private final List<Publisher> publishers = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  private MqttBaseline(BenchRun run) {
    this.run = run;
    this.port = run.options.integer(BenchOption.MQTT_PORT);
    this.prefix = TOPIC_ROOT + run.runTag + "/";
  }

  /** The s2c load against the broker; its figures go into {@code report}. */
  static Result s2c(
      BenchRun run,
      int receivers,
      int qos,
      int senders,
      int window,
      Duration warmupTime,
      Duration duration,
      Duration drain,
      int contentBytes,
      Report report) {
    SourcePlan.checkCount(receivers + senders);
    MqttBaseline mqtt = new MqttBaseline(run);
    try {
      return mqtt.measureS2c(
          receivers, qos, senders, window, warmupTime, duration, drain, contentBytes, report);
    } finally {
      mqtt.close();
    }
  }

  /** The c2s load (QoS 1 publishers at a steady rate, shared subscribers) against the broker. */
  static Result c2s(
      BenchRun run,
      int publishers,
      long intervalMs,
      int consumers,
      int window,
      Duration warmupTime,
      Duration duration,
      Report report) {
    SourcePlan.checkCount(publishers + consumers);
    MqttBaseline mqtt = new MqttBaseline(run);
    try {
      return mqtt.measureC2s(
          publishers, intervalMs, consumers, window, warmupTime, duration, report);
    } finally {
      mqtt.close();
    }
  }

  private Result measureS2c(
      int receivers,
      int qos,
      int senders,
      int window,
      Duration warmupTime,
      Duration duration,
      Duration drain,
      int contentBytes,
      Report report) {
    MqttQoS level = MqttQoS.valueOf(qos);
    window = Math.min(window, MAX_IN_FLIGHT);
    run.progress(
        "mqtt: %,d subscribers and %d publisher(s) on 127.0.0.1:%d, qos %d",
        receivers, senders, port, qos);
    AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    List<Future<?>> ready = new ArrayList<>();
    for (int i = 0; i < receivers; i++) {
      String topic = prefix + "s2c/" + i;
      ready.add(connect(i, "r" + i, window).compose(c -> subscribe(c, topic, qos)));
    }
    Blocking.await(Future.all(ready), BenchRun.setupDeadline(receivers));
    ready.clear();
    for (int i = 0; i < senders; i++) {
      Context context = run.loops.get(receivers + i);
      Publisher publisher =
          new Publisher(context, level, window, budget, receivers, contentBytes, i, senders);
      publishers.add(publisher);
      ready.add(connect(receivers + i, "p" + i, window).onSuccess(publisher::attach));
    }
    Blocking.await(Future.all(ready), Duration.ofSeconds(30));
    BenchRun.CpuWindow cpu = run.cpuOf(brokerPid());
    publishers.forEach(p -> p.context.runOnContext(v -> p.pump()));
    Blocking.sleep(warmupTime.toMillis());
    warmup.begin();
    long start = warmup.startNanos();
    Blocking.sleep(duration.toMillis());
    stopped = true;
    Blocking.until(
        () -> publishers.stream().allMatch(p -> p.outstanding.get() == 0), drain.plusSeconds(5));
    Blocking.until(() -> ledger.missing() == 0, drain);

    report.section("mqtt", "MQTT broker 127.0.0.1:" + port + " (Vert.x MQTT client), qos " + qos);
    report.count("subscribers", "subscribers", receivers);
    report.count("published", "published, in all", published.sum());
    report.count("accepted_total", "accepted, in all", ledger.acceptedCount());
    report.rate(
        "accepted",
        qos == 0 ? "published, measured" : "PUBACKed, measured",
        acceptedMeter.count(),
        acceptedMeter.secondsSince(start));
    if (qos > 0) {
      report.latency("ack_latency", "PUBLISH -> PUBACK", ackLatency.summary());
    }
    report.rate(
        "delivered",
        "delivered, measured",
        deliveredMeter.count(),
        deliveredMeter.secondsSince(start));
    Latency.Summary latency = deliveryLatency.summary();
    report.latency("latency", "send -> receipt", latency);
    report.count("lost", "lost (accepted, not received)", ledger.missing());
    report.count("duplicated", "duplicated", ledger.duplicates());
    report.count("failures", "publish failures", failures.sum());
    cpu.report(report);
    report.note("mqtt: the CPU section's node is the broker (--mqtt-pid)");
    return new Result(
        acceptedMeter.perSecondSince(start), deliveredMeter.perSecondSince(start), latency);
  }

  private Result measureC2s(
      int publishers,
      long intervalMs,
      int consumers,
      int window,
      Duration warmupTime,
      Duration duration,
      Report report) {
    window = Math.min(window, MAX_IN_FLIGHT);
    String topics = prefix + "c2s/+";
    String filter = consumers > 1 ? "$share/bench/" + topics : topics;
    run.progress(
        "mqtt: %d consumer(s) on %s, %,d publishers every %d ms, qos 1",
        consumers, filter, publishers, intervalMs);
    List<Future<?>> ready = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      ready.add(connect(i, "c" + i, window).compose(c -> subscribe(c, filter, 1)));
    }
    Blocking.await(Future.all(ready), Duration.ofSeconds(30));
    ready.clear();
    List<Reporter> reporters = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      Reporter reporter = new Reporter(run.loops.get(consumers + i), prefix + "c2s/" + i, window);
      reporters.add(reporter);
      ready.add(connect(consumers + i, "g" + i, window).onSuccess(reporter::attach));
    }
    Blocking.await(Future.all(ready), BenchRun.setupDeadline(publishers));
    BenchRun.CpuWindow cpu = run.cpuOf(brokerPid());
    reporters.forEach(r -> r.context.runOnContext(v -> r.start(intervalMs)));
    Blocking.sleep(warmupTime.toMillis());
    warmup.begin();
    long start = warmup.startNanos();
    Blocking.sleep(duration.toMillis());
    stopped = true;
    long stop = System.nanoTime();
    Blocking.until(
        () -> reporters.stream().allMatch(r -> r.inFlight.get() == 0), Duration.ofSeconds(15));
    Blocking.until(() -> ledger.missing() == 0, Duration.ofSeconds(5));

    double offered = publishers * 1000.0 / intervalMs;
    long skipped = reporters.stream().mapToLong(r -> r.skipped).sum();
    report.section("mqtt", "MQTT broker 127.0.0.1:" + port + " (Vert.x MQTT client), qos 1");
    report.value(
        "offered_per_second", "offered", Report.round(offered), String.format("%,.0f/s", offered));
    report.count("skipped", "skipped (window full), measured", skipped);
    report.rate(
        "accepted",
        "PUBACKed, measured",
        acceptedMeter.count(),
        Math.max(S2cBench.seconds(start, stop), acceptedMeter.secondsSince(start)));
    report.latency("ack_latency", "PUBLISH -> PUBACK", ackLatency.summary());
    report.rate(
        "consumed",
        "consumed, measured",
        deliveredMeter.count(),
        Math.max(S2cBench.seconds(start, stop), deliveredMeter.secondsSince(start)));
    Latency.Summary latency = deliveryLatency.summary();
    report.latency("latency", "send -> consumer", latency);
    report.count("lost", "lost (PUBACKed, not consumed)", ledger.missing());
    report.count("duplicated", "duplicated", ledger.duplicates());
    report.count("failures", "publish failures", failures.sum());
    cpu.report(report);
    report.note("mqtt: the CPU section's node is the broker (--mqtt-pid)");
    return new Result(
        acceptedMeter.perSecondSince(start), deliveredMeter.perSecondSince(start), latency);
  }

  /** The broker's process ({@code --mqtt-pid}); its CPU is reported as the node's. */
  private OptionalInt brokerPid() {
    return run.options.has(BenchOption.MQTT_PID)
        ? OptionalInt.of(run.options.integer(BenchOption.MQTT_PID))
        : OptionalInt.empty();
  }

  /** Connects client {@code i} from the bench's event loop {@code i} (clean session, no will). */
  private Future<MqttClient> connect(int i, String name, int window) {
    MqttClientOptions options =
        new MqttClientOptions()
            .setClientId("cb-" + run.runTag + "-" + name)
            .setCleanSession(true)
            .setMaxInflightQueue(Math.max(Math.min(window, MAX_IN_FLIGHT), 10))
            .setKeepAliveInterval(60);
    Promise<MqttClient> connected = Promise.promise();
    run.loops
        .get(i)
        .runOnContext(
            v -> {
              MqttClient client = MqttClient.create(run.vertx, options);
              synchronized (clients) {
                clients.add(client);
              }
              client.publishHandler(this::received);
              client.connect(port, run.host()).<MqttClient>map(ack -> client).onComplete(connected);
            });
    return connected.future();
  }

  private static Future<MqttClient> subscribe(MqttClient client, String filter, int qos) {
    return client.subscribe(filter, qos).map(id -> client);
  }

  private void received(MqttPublishMessage message) {
    long now = System.nanoTime();
    String payload = message.payload().toString(StandardCharsets.ISO_8859_1);
    int bar = payload.indexOf('|');
    if (bar < 0) {
      return;
    }
    long key = Long.parseLong(payload, 0, bar, 10);
    if (message.qosLevel() == MqttQoS.AT_MOST_ONCE && !publishers.isEmpty()) {
      publishers.get((int) (key & ((1 << PUBLISHER_BITS) - 1))).delivered();
    }
    if (ledger.received(key) && warmup.measuring()) {
      long stamp = Stamp.parse(payload);
      if (stamp != Stamp.NONE && stamp - warmup.startNanos() >= 0) {
        deliveryLatency.recordNanos(now - stamp);
      }
      deliveredMeter.mark();
    }
  }

  private Buffer payload(long seq, long nanos, int size) {
    String head = seq + "|";
    return Buffer.buffer(head + Stamp.content(nanos, Math.max(24, size - head.length())));
  }

  private void accepted(long seq, long sentNanos, boolean measuring) {
    ledger.accepted(seq, "accepted");
    if (measuring) {
      ackLatency.recordSince(sentNanos);
      acceptedMeter.mark();
    }
  }

  private void close() {
    stopped = true;
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (clients) {
      for (MqttClient client : clients) {
        if (client.isConnected()) {
          closing.add(client.disconnect());
        }
      }
    }
    try {
      Blocking.await(Future.join(closing), Duration.ofSeconds(30));
    } catch (Blocking.BenchFailure e) {
      run.progress("mqtt: some clients did not disconnect: %s", e.getMessage());
    }
  }

  /**
   * An s2c publisher: keeps {@code window} messages outstanding, touched only on its context
   * (receipts of QoS 0 on other loops wake it up once per batch).
   */
  private final class Publisher {
    private final Context context;
    private final MqttQoS qos;
    private final int window;
    private final AtomicLong budget;
    private final int receivers;
    private final int contentBytes;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicBoolean wakeup = new AtomicBoolean();
    private final Map<Integer, long[]> inFlight = new HashMap<>();
    private final int index;
    private MqttClient client;
    private long next;

    Publisher(
        Context context,
        MqttQoS qos,
        int window,
        AtomicLong budget,
        int receivers,
        int contentBytes,
        int index,
        int senders) {
      this.context = context;
      this.qos = qos;
      this.window = window;
      this.budget = budget;
      this.receivers = receivers;
      this.contentBytes = contentBytes;
      this.index = index;
      this.next = index * (long) receivers / senders;
    }

    void attach(MqttClient client) {
      this.client = client;
      if (qos == MqttQoS.AT_LEAST_ONCE) {
        client.publishCompletionHandler(this::puback);
      }
    }

    void pump() {
      wakeup.set(false);
      while (!stopped && outstanding.get() < window && budget.getAndDecrement() > 0) {
        long seq = sequence.getAndIncrement() << PUBLISHER_BITS | index;
        long now = System.nanoTime();
        boolean measuring = warmup.measuring();
        int receiver = (int) (next++ % receivers);
        outstanding.incrementAndGet();
        published.increment();
        if (qos == MqttQoS.AT_MOST_ONCE) {
          accepted(seq, now, measuring);
        }
        client
            .publish(prefix + "s2c/" + receiver, payload(seq, now, contentBytes), qos, false, false)
            .onComplete(
                sent -> {
                  if (sent.failed()) {
                    failures.increment();
                    outstanding.decrementAndGet();
                  } else if (qos == MqttQoS.AT_LEAST_ONCE) {
                    inFlight.put(sent.result(), new long[] {seq, now, measuring ? 1 : 0});
                  }
                });
      }
    }

    private void puback(int packetId) {
      long[] sent = inFlight.remove(packetId);
      if (sent != null) {
        accepted(sent[0], sent[1], sent[2] == 1);
        outstanding.decrementAndGet();
        pump();
      }
    }

    /** A QoS 0 message of this publisher arrived: one less outstanding. */
    void delivered() {
      outstanding.decrementAndGet();
      if (wakeup.compareAndSet(false, true)) {
        context.runOnContext(v -> pump());
      }
    }
  }

  /** A c2s publisher ticking at a steady rate; touched only on its context. */
  private final class Reporter {
    private final Context context;
    private final String topic;
    private final int window;
    private final AtomicLong inFlight = new AtomicLong();
    private final Map<Integer, long[]> sent = new HashMap<>();
    private double lat = 31.0 + ThreadLocalRandom.current().nextDouble();
    private double lng = 121.0 + ThreadLocalRandom.current().nextDouble();
    private MqttClient client;
    private long timer = -1;
    private long skipped;

    Reporter(Context context, String topic, int window) {
      this.context = context;
      this.topic = topic;
      this.window = window;
    }

    void attach(MqttClient client) {
      this.client = client;
      client.publishCompletionHandler(this::puback);
    }

    void start(long intervalMs) {
      run.vertx.setTimer(
          1 + ThreadLocalRandom.current().nextLong(intervalMs),
          id -> {
            tick();
            timer = run.vertx.setPeriodic(intervalMs, pid -> tick());
          });
    }

    private void tick() {
      if (stopped) {
        if (timer != -1) {
          run.vertx.cancelTimer(timer);
        }
        return;
      }
      boolean measuring = warmup.measuring();
      if (inFlight.get() >= window) {
        if (measuring) {
          skipped++;
        }
        return;
      }
      lat += (ThreadLocalRandom.current().nextDouble() - 0.5) * 1e-4;
      lng += (ThreadLocalRandom.current().nextDouble() - 0.5) * 1e-4;
      long seq = sequence.getAndIncrement();
      long now = System.nanoTime();
      inFlight.incrementAndGet();
      published.increment();
      client
          .publish(
              topic,
              Buffer.buffer(seq + "|" + Stamp.position(lat, lng, now)),
              MqttQoS.AT_LEAST_ONCE,
              false,
              false)
          .onComplete(
              done -> {
                if (done.failed()) {
                  failures.increment();
                  inFlight.decrementAndGet();
                } else {
                  sent.put(done.result(), new long[] {seq, now, measuring ? 1 : 0});
                }
              });
    }

    private void puback(int packetId) {
      long[] message = sent.remove(packetId);
      if (message != null) {
        accepted(message[0], message[1], message[2] == 1);
        inFlight.decrementAndGet();
      }
    }
  }
}
