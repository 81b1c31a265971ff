package io.courier.bench;

/**
 * Every option of {@code courier-bench.jar}, with its value range and help. Which scenario accepts
 * which option, and the per-scenario defaults, are in {@link Scenario}.
 */
public enum BenchOption {
  HOST(
      "host",
      "ADDR",
      "127.0.0.1",
      0,
      0,
      "the node's address; must be a loopback IPv4 literal (the bench never targets anything else)"),
  GATE_PORT("gate-port", "PORT", "9000", 1, 65535, "the node's client TCP gate"),
  BRIDGE_PORT("bridge-port", "PORT", "7000", 1, 65535, "the node's TCP event-bus bridge"),
  WS_PORT(
      "ws-port",
      "PORT",
      null,
      1,
      65535,
      "the receivers connect over the WebSocket gate (GET /ws) of this HTTP port instead of the TCP gate"),
  SENDER(
      "sender",
      "bridge|cluster",
      "bridge",
      0,
      0,
      "how the business sends: over the TCP bridge, or as a member of the node's cluster on the event bus"),
  CLUSTER_NAME(
      "cluster-name",
      "NAME",
      "courier",
      0,
      0,
      "with --sender cluster: the node's cluster name (COURIER_CLUSTER_NAME)"),
  CLUSTER_MEMBERS(
      "cluster-members",
      "HOST:PORT,..",
      "127.0.0.1:5701",
      0,
      0,
      "with --sender cluster: Hazelcast members to join (loopback); one reachable member is enough"),
  CLUSTER_HOST(
      "cluster-host",
      "ADDR",
      "127.0.0.1",
      0,
      0,
      "with --sender cluster: this member's address for Hazelcast and the event bus (loopback)"),
  CLUSTER_PORT(
      "cluster-port",
      "PORT",
      "5702",
      1,
      65535,
      "with --sender cluster: this member's Hazelcast port (not one of the node's)"),
  APPCODE("appcode", "N", "101", 1, 65535, "appcode of the bench users"),
  SECRET(
      "secret",
      "S",
      null,
      0,
      0,
      "token secret; default: the appcode's secret from COURIER_APPS, else the development secret"),
  CONNECTIONS(
      "connections",
      "N",
      "1000",
      1,
      SourcePlan.MAX_PER_PROCESS,
      "connections to open in this process (at most " + SourcePlan.MAX_PER_PROCESS + ")"),
  RECEIVERS("receivers", "N", "200", 1, SourcePlan.MAX_PER_PROCESS, "receiving users online"),
  PAIRS(
      "pairs",
      "N",
      "100",
      1,
      SourcePlan.MAX_PER_PROCESS / 2,
      "pairs of users; both users of a pair send to each other"),
  CLIENTS("clients", "N", "200", 1, SourcePlan.MAX_PER_PROCESS, "reporting clients"),
  GROUPS(
      "groups",
      "N",
      "1",
      1,
      SourcePlan.MAX_PER_PROCESS / GroupPlan.MIN_MEMBERS,
      "groups to create; every member of every group is one connection of this process"),
  MEMBERS(
      "members",
      "N",
      "50",
      GroupPlan.MIN_MEMBERS,
      SourcePlan.MAX_PER_PROCESS,
      "members of each group (the node refuses more than routing.groupMaxMembers, 500 by default)"),
  SENDERS_PER_GROUP(
      "senders-per-group",
      "N",
      "1",
      1,
      SourcePlan.MAX_PER_PROCESS,
      "members of each group that send C2G to it, each with --window sends outstanding"),

  RATE("rate", "N", "10", 1, 1000, "messages per second sent by each client"),
  CONSUMERS("consumers", "N", "1", 1, 64, "bridge connections registered as the business consumer"),
  MSGTYPE(
      "msgtype",
      "N",
      "1",
      0,
      65535,
      "msgtype of the C2S messages (the consumer address ends with it)"),
  QOS(
      "qos",
      "0|1",
      "1",
      0,
      1,
      "qos of courier.s2c (1 stored before the push, 0 best effort) or of C2S (1 stored when no"
          + " consumer accepts, 0 answered 503/504)"),
  CMIDS(
      "cmids",
      null,
      null,
      0,
      0,
      "C2S: give every message a cmid of its own (the platform remembers it: one store write each)"),
  DURATION("duration", "SECONDS", "10", 1, 3600, "how long to measure (after --warmup)"),
  WARMUP(
      "warmup",
      "SECONDS",
      "3",
      0,
      600,
      "load before measuring, not counted in rates and latencies (lost/duplicated still cover it)"),
  MESSAGES(
      "messages",
      "N",
      "0",
      0,
      100_000_000,
      "stop after this many messages (0: no count limit, only --duration)"),
  WINDOW("window", "N", "256", 1, 100_000, "requests outstanding (sent, not answered) at most"),
  SENDERS(
      "senders",
      "N",
      "1",
      1,
      64,
      "senders of courier.s2c (bridge connections, or event loops of the cluster member), each with --window"),
  CONTENT_BYTES("content-bytes", "N", "64", 24, 16_384, "size of each message's content"),
  DRAIN(
      "drain",
      "SECONDS",
      "5",
      0,
      600,
      "after sending stops, how long to wait for the last deliveries before counting the missing as lost"),
  COUNT("count", "N", "10000", 1, 10_000_000, "offline messages to put in place and drain"),
  LIMIT("limit", "N", "50", 1, 200, "PULL page size (the protocol allows 1-200)"),
  UID("uid", "UID", null, 0, 0, "the user to fill and drain (default: a new uid per run)"),
  CONCURRENCY("concurrency", "N", "200", 1, 10_000, "logins in flight at once while connecting"),
  HOLD(
      "hold",
      "SECONDS",
      "10",
      0,
      3600,
      "how long to keep the connections idle (heartbeats go on) after all are logged in"),
  UID_OFFSET(
      "uid-offset",
      "N",
      "0",
      0,
      1_000_000_000,
      "first user index of this process; give each bench process its own (0, 19000, 38000 ...)"),
  SOURCE_BASE(
      "source-base",
      "ADDR",
      SourcePlan.DEFAULT_BASE,
      0,
      0,
      "first loopback source address; connection with global index g binds to base + g / per-source"),
  PER_SOURCE(
      "per-source",
      "N",
      Integer.toString(SourcePlan.DEFAULT_PER_ADDRESS),
      1,
      28_000,
      "connections per source address (loopback has ~28,000 ports per source/destination pair)"),
  SERVER_PID(
      "server-pid",
      "PID",
      null,
      1,
      Integer.MAX_VALUE,
      "pid of the node, for its RSS / heap (conn) and CPU time (all scenarios); same machine only"),
  REQUEST_TIMEOUT(
      "request-timeout",
      "SECONDS",
      "15",
      1,
      600,
      "a request without answer by then counts as timeout"),
  EVENT_LOOPS(
      "event-loops",
      "N",
      Integer.toString(Runtime.getRuntime().availableProcessors()),
      1,
      256,
      "event loops of the bench process, connections spread over all; against a node one per core by default"
          + " (more took CPU from the node sharing the machine)"),
  BASELINE_WINDOW(
      "baseline-window",
      "N",
      "0",
      0,
      1_000_000,
      "pushes the baseline keeps unacknowledged in all (0: the scenario's total window)"),
  WITH_MQTT(
      "with-mqtt",
      null,
      null,
      0,
      0,
      "also drive Mosquitto (--mqtt-port) with the same load after the scenario and print Courier / Mosquitto"),
  MQTT_PORT(
      "mqtt-port",
      "PORT",
      "1884",
      1,
      65535,
      "with --with-mqtt: the MQTT broker's port on --host (bench/mosquitto-bench.conf listens on 1884)"),
  MQTT_PID(
      "mqtt-pid",
      "PID",
      null,
      1,
      Integer.MAX_VALUE,
      "with --with-mqtt: pid of the broker, for its CPU time (same machine only)"),
  ACK_EVERY_PUSH(
      "ack-every-push",
      null,
      null,
      0,
      0,
      "receivers ack every PUSH, those marked qos 0 too, as a client of protocol v1 does"),
  WITH_BASELINE(
      "with-baseline",
      null,
      null,
      0,
      0,
      "also run the Vert.x push/ack baseline (after the scenario, same duration) and print the ratios"),
  TARGET(
      "target",
      "decoder|body|richtext",
      null,
      0,
      0,
      "what to fuzz: the frame decoder, the body parser or the rich-text sanitizer (required)"),
  SECONDS("seconds", "N", "60", 1, 604_800, "how long to fuzz"),
  SEED(
      "seed",
      "S",
      null,
      Long.MIN_VALUE,
      Long.MAX_VALUE,
      "seed of the random inputs; the same seed gives the same inputs (default: a new one, printed)"),
  KIND(
      "kind",
      "ATTACK",
      null,
      0,
      0,
      "the attack: conn-flood, never-login, frame-flood, pull-flood, slow-reader, login-flood or"
          + " msgtype-spray (required)"),
  ATTACKERS(
      "attackers",
      "N",
      null,
      1,
      SourcePlan.MAX_PER_PROCESS,
      "attacking connections (default: the kind's, see the description)"),
  CALM(
      "calm",
      "SECONDS",
      "5",
      1,
      600,
      "how long the probe runs before the attack: its figures without the attack"),
  PROBE_SOURCE(
      "probe-source",
      "ADDR",
      "127.0.1.1",
      0,
      0,
      "loopback source address of the well-behaved probe client (none of the attack's)"),
  ADMIN_PORT(
      "admin-port",
      "PORT",
      "8090",
      1,
      65535,
      "the node's admin listener, on --host, for GET /metrics (COURIER_ADMIN_PORT)"),
  TLS(
      "tls",
      null,
      null,
      0,
      0,
      "connect to the gate with TLS (its certificate must name --host), trusting the JDK's authorities"),
  CA(
      "ca",
      "FILE",
      null,
      0,
      0,
      "connect to the gate with TLS, trusting the CA certificates of this PEM file (implies --tls)"),
  JSON(
      "json",
      null,
      null,
      0,
      0,
      "print the results as one JSON line on stdout (the summary goes to stderr)");

  private final String name;
  private final String valueName;
  private final String defaultValue;
  private final long min;
  private final long max;
  private final String help;

  BenchOption(String name, String valueName, String defaultValue, long min, long max, String help) {
    this.name = name;
    this.valueName = valueName;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.help = help;
  }

  /** The name without dashes. */
  public String optionName() {
    return name;
  }

  /** Null for a flag (an option without value). */
  public String valueName() {
    return valueName;
  }

  public boolean isFlag() {
    return valueName == null;
  }

  /** True for options whose value is an integer checked against {@link #min()}..{@link #max()}. */
  public boolean isInteger() {
    return !isFlag() && max > 0;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  public String help() {
    return help;
  }

  public static BenchOption byName(String name) {
    for (BenchOption option : values()) {
      if (option.name.equals(name)) {
        return option;
      }
    }
    return null;
  }
}
