package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The scenarios of {@code courier-bench.jar}: their options, defaults and help. */
public enum Scenario {
  CONN(
      "conn",
      "N logged-in idle connections: login latency, server memory per connection",
      List.of(
          "Opens --connections connections to the gate, logs each in (tokens signed in advance, --concurrency",
          "logins in flight), keeps them idle for --hold seconds while the client sends PING at the heartbeat the",
          "server advertises, then closes them. Connections are spread over the bench's event loops and over",
          "loopback source addresses (--source-base, one address per --per-source connections).",
          "With --server-pid it reads the node's VmRSS (/proc) and heap (jcmd GC.run + GC.heap_info; n/a without",
          "jcmd) before and after, and reports both per connection.",
          "One process may hold at most 20,000 file descriptors, so one bench process opens at most 19,000",
          "connections. For more, run several processes at once, each with its own --uid-offset:",
          "  java -jar courier-bench.jar conn --connections 15000 --uid-offset 0     --hold 60 &",
          "  java -jar courier-bench.jar conn --connections 15000 --uid-offset 15000 --hold 60 --server-pid PID"),
      Map.of(APPCODE, "101"),
      HOST,
      GATE_PORT,
      APPCODE,
      SECRET,
      CONNECTIONS,
      CONCURRENCY,
      HOLD,
      UID_OFFSET,
      SOURCE_BASE,
      PER_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      EVENT_LOOPS,
      JSON),
  S2C(
      "s2c",
      "a business pushes through courier.s2c (TCP bridge or clustered event bus) to R online receivers",
      List.of(
          "Logs in --receivers users (uids s2c-<i>), then --senders senders send courier.s2c requests",
          "round-robin to them, each keeping --window requests outstanding, for --duration seconds or --messages",
          "messages. Receivers acknowledge every PUSH that asks for it (0x8020): all but those marked qos 0,",
          "unless --ack-every-push (all, as a client of protocol v1). The send time travels in the content, so",
          "delivery latency is send -> receipt at the receiver. After sending, waits up to --drain seconds for",
          "the last pushes; messages answered with code 0 and never received count as lost (by reply status:",
          "'dropped' is expected for qos 0, 'stored' waits for PULL under qos 1).",
          "",
          "--sender bridge (default): each sender is a connection to the node's TCP bridge (--bridge-port).",
          "--sender cluster: the bench joins the node's Hazelcast cluster as a clustered Vert.x (the jar's",
          "cluster.xml with --cluster-name, --cluster-members, and its own --cluster-host/--cluster-port), each",
          "sender requests courier.s2c on the event bus from an event loop of that member, and the bench leaves",
          "the cluster at the end. The node must run clustered, hence with Redis presence and the MySQL store:",
          "  COURIER_STORE=mysql COURIER_MYSQL_SHARDS=mysql://root@127.0.0.1:3306/bench_cluster_0 \\",
          "  COURIER_PRESENCE=redis COURIER_CLUSTER_NAME=bench-cluster COURIER_CLUSTER_HOST=127.0.0.1 \\",
          "  COURIER_CLUSTER_PORT=5801 COURIER_CLUSTER_MEMBERS=127.0.0.1:5801 java -jar courier.jar -cluster",
          "  java -jar courier-bench.jar s2c --sender cluster --cluster-name bench-cluster \\",
          "    --cluster-members 127.0.0.1:5801 --cluster-port 5802",
          "",
          "--tls or --ca FILE: the receivers connect to a TLS gate (COURIER_GATE_TLS_CERT); the bridge stays",
          "as configured. Against a node with a plain port too (COURIER_GATE_PLAIN_PORT), run once with",
          "--gate-port on each to compare.",
          "",
          "--ws-port PORT: the receivers connect over the WebSocket gate of that HTTP port (COURIER_HTTP_PORT)",
          "instead; run once without it and once with it against the same node to compare the transports."),
      Map.of(APPCODE, "201"),
      HOST,
      GATE_PORT,
      WS_PORT,
      BRIDGE_PORT,
      SENDER,
      CLUSTER_NAME,
      CLUSTER_MEMBERS,
      CLUSTER_HOST,
      CLUSTER_PORT,
      APPCODE,
      SECRET,
      RECEIVERS,
      QOS,
      DURATION,
      WARMUP,
      MESSAGES,
      WINDOW,
      SENDERS,
      CONTENT_BYTES,
      DRAIN,
      CONCURRENCY,
      UID_OFFSET,
      SOURCE_BASE,
      PER_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      ACK_EVERY_PUSH,
      WITH_BASELINE,
      BASELINE_WINDOW,
      WITH_MQTT,
      MQTT_PORT,
      MQTT_PID,
      EVENT_LOOPS,
      TLS,
      CA,
      JSON),
  C2C(
      "c2c",
      "P pairs of users chat, each user keeping a window of C2C sends outstanding",
      List.of(
          "Logs in 2 x --pairs users (c2c-a<i>, c2c-b<i>; --uid-offset counts pairs); each sends C2C to its",
          "partner with --window sends outstanding, for --duration seconds or --messages messages in all.",
          "Sender-ack latency is C2C -> 0x8011; delivery latency is send -> PUSH at the partner. Codes other",
          "than 0 are counted per code (429: more than 256 C2C queued on one connection). After sending, waits",
          "up to --drain seconds for the last deliveries."),
      Map.of(APPCODE, "101", WINDOW, "8"),
      HOST,
      GATE_PORT,
      APPCODE,
      SECRET,
      PAIRS,
      DURATION,
      WARMUP,
      MESSAGES,
      WINDOW,
      CONTENT_BYTES,
      DRAIN,
      CONCURRENCY,
      UID_OFFSET,
      SOURCE_BASE,
      PER_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      WITH_BASELINE,
      BASELINE_WINDOW,
      EVENT_LOOPS,
      JSON),
  GROUP(
      "group",
      "G groups of N members made by a business; members send C2G, every other member gets it",
      List.of(
          "Creates --groups groups of --members members each with courier.group.create over the node's TCP",
          "bridge (--bridge-port), as a business would, then logs in every member (one terminal each, all on",
          "--appcode). Group ids and uids carry the run's tag (bench-<run>-<g>, grp-<run>-<g>-<slot>), so",
          "every run starts with new groups and empty inboxes. The first --senders-per-group members of each",
          "group send C2G to it with --window sends outstanding each, for --duration seconds or --messages",
          "messages in all; every other member gets each message as a PUSH (kind c2g) and acks it.",
          "Reports accepted C2G/s (C2G -> 0x8012), delivered PUSH/s counted over all members, send -> receipt",
          "per delivery and send -> last member per message, and checks every delivery: lost (accepted, a",
          "member never got it), duplicated, unexpected, echoed to the sending terminal, or foreign (not a c2g",
          "of the member's group). The node refuses groups of more than routing.groupMaxMembers (500 by",
          "default, COURIER_GROUP_MAX_MEMBERS) with 413."),
      Map.of(APPCODE, "101", WINDOW, "8"),
      HOST,
      GATE_PORT,
      BRIDGE_PORT,
      APPCODE,
      SECRET,
      GROUPS,
      MEMBERS,
      SENDERS_PER_GROUP,
      DURATION,
      WARMUP,
      MESSAGES,
      WINDOW,
      CONTENT_BYTES,
      DRAIN,
      CONCURRENCY,
      SOURCE_BASE,
      PER_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      EVENT_LOOPS,
      JSON),
  C2S(
      "c2s",
      "C clients report GPS-like positions to a business consumer on the bridge",
      List.of(
          "Registers --consumers bridge connections on courier.c2s.<appcode>.<msgtype>, each answering {code:0}",
          "to every message, then logs in --clients users (c2s-<i>) that each send C2S (content",
          "lat=..,lng=..) --rate times per second for --duration seconds, with at most --window outstanding",
          "(a tick that finds the window full is counted as skipped, not queued). Latency is C2S -> 0x8010",
          "(the answer comes after the consumer accepted); consumer latency is send -> arrival at the consumer."),
      Map.of(APPCODE, "201", WINDOW, "8", QOS, "0"),
      HOST,
      GATE_PORT,
      BRIDGE_PORT,
      APPCODE,
      SECRET,
      CLIENTS,
      RATE,
      MSGTYPE,
      QOS,
      CMIDS,
      CONSUMERS,
      DURATION,
      WARMUP,
      WINDOW,
      CONCURRENCY,
      UID_OFFSET,
      SOURCE_BASE,
      PER_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      WITH_MQTT,
      MQTT_PORT,
      MQTT_PID,
      EVENT_LOOPS,
      JSON),
  PULL(
      "pull",
      "K offline messages for one user, drained with PULL / OFFLINE_ACK",
      List.of(
          "Sends --count courier.s2c qos-1 messages (--window outstanding) to a user who is offline, so they",
          "wait in the offline store; then logs the user in and drains them: PULL {after, limit}, and for each",
          "page OFFLINE_ACK {upto: last msgid} while the next PULL is already on its way. Reports the fill rate,",
          "the drain rate and total time, PULL latency, and checks that every message came exactly once."),
      Map.of(APPCODE, "101"),
      HOST,
      GATE_PORT,
      BRIDGE_PORT,
      APPCODE,
      SECRET,
      COUNT,
      LIMIT,
      UID,
      WINDOW,
      CONTENT_BYTES,
      SERVER_PID,
      SOURCE_BASE,
      REQUEST_TIMEOUT,
      EVENT_LOOPS,
      JSON),
  BASELINE(
      "baseline",
      "plain Vert.x TCP push/ack server and client in this process",
      List.of(
          "The reference for every Courier figure: a minimal Vert.x NetServer pushes frames of the same shape as",
          "Courier's (16-byte header + a JSON PUSH body of the same fields and size) to --connections",
          "in-process clients over loopback, keeping --window pushes unacknowledged in all; each client parses",
          "the body and answers with a 0x8020 {msgid} ack like Courier's client. Reports pushes acked/s and",
          "push -> receipt latency, measured the same way as s2c. No node is needed."),
      Map.of(
          CONNECTIONS,
          "200",
          EVENT_LOOPS,
          Integer.toString(2 * Runtime.getRuntime().availableProcessors())),
      CONNECTIONS,
      WINDOW,
      DURATION,
      WARMUP,
      MESSAGES,
      CONTENT_BYTES,
      EVENT_LOOPS,
      JSON),
  ATTACK(
      "attack",
      "one attack on the node while a well-behaved client logs in and PINGs beside it",
      List.of(
          "Runs a probe client from --probe-source: it connects, logs in, sends 20 PINGs 50 ms apart, closes",
          "and starts again. For --calm seconds without the attack (the baseline), then for at most --duration",
          "seconds with the attack of --kind from --source-base (127.0.0.2 ...). Reports the probe's login",
          "success and PING latency in both phases, the node's RSS before / highest during / after",
          "(--server-pid), and the attack's own outcome:",
          "  conn-flood     connections from ONE address as fast as --concurrency allows, at most --attackers",
          "                 (6,000) open, never logged in: how many were refused (ERROR 429 / 503) and how fast",
          "  never-login    --attackers (5,000) connections over --per-source addresses (2,500), never logged in:",
          "                 the time until the node has closed each",
          "  frame-flood    --attackers (1) logged-in connections pipeline PINGs, --window outstanding: 429s,",
          "                 KICK 4005",
          "  pull-flood     --messages (200) offline messages of --content-bytes per attacking user, then",
          "                 PULL {limit: 200} pipelined with --window outstanding: 429s, bytes answered",
          "  slow-reader    a logged-in connection stops reading; a business sends it --messages (2,000) qos-0",
          "                 pushes of --content-bytes over the bridge: time to the cut, pushes lost at the cut",
          "  login-flood    --attackers (20) connections from one address send LOGIN with bad tokens: 401s,",
          "                 429s, the ban",
          "  msgtype-spray  --attackers (20) clients send C2C with --messages (10,000) distinct msgtypes to an",
          "                 online receiver: /metrics series before and after (admin listener, --admin-port)",
          "--messages 0 means the kind's default. The node's per-address limits apply to the attack as to",
          "anyone: the probe's source address must differ from the attack's.",
          "  java -jar courier-bench.jar attack --kind never-login --server-pid PID --duration 20"),
      Map.of(
          DURATION, "20",
          CALM, "5",
          PER_SOURCE, "2500",
          WINDOW, "256",
          CONTENT_BYTES, "10000"),
      KIND,
      HOST,
      GATE_PORT,
      BRIDGE_PORT,
      ADMIN_PORT,
      APPCODE,
      SECRET,
      ATTACKERS,
      MESSAGES,
      CONTENT_BYTES,
      WINDOW,
      CONCURRENCY,
      DURATION,
      CALM,
      SOURCE_BASE,
      PER_SOURCE,
      PROBE_SOURCE,
      SERVER_PID,
      REQUEST_TIMEOUT,
      EVENT_LOOPS,
      JSON),
  FUZZ(
      "fuzz",
      "random inputs for the frame decoder, body parser or rich-text sanitizer (no node needed)",
      List.of(
          "Feeds random inputs to one component in this process for --seconds and checks each against the",
          "properties its property tests check (FrameDecoderProperties, BodyParserProperties,",
          "RichTextProperties), for as long as asked:",
          "  decoder   byte streams, and valid frames followed by bad headers, garbage or a cut frame, fed",
          "            whole, byte by byte and in random chunks: same events, nothing held beyond the maximum",
          "  body      bytes and JSON-ish text: the same answer as a strict UTF-8 check and a strict Jackson",
          "            reading of protocol.md 6.1 (UTF-8, escapes, surrogates, depth, trailing data)",
          "  richtext  any text and HTML-ish tags: never throws, idempotent, only canonical elements and",
          "            escaped text, no controls or bidi overrides, no script, on*= or javascript: URL",
          "The first input that breaks a property ends the run: it is printed in hex on stderr with the seed,",
          "and the exit status is 1. --seed gives the same inputs in the same order."),
      Map.of(),
      TARGET,
      SECONDS,
      SEED,
      JSON);

  private final String name;
  private final String summary;
  private final List<String> description;
  private final Map<BenchOption, String> defaults;
  private final Set<BenchOption> options;

  Scenario(
      String name,
      String summary,
      List<String> description,
      Map<BenchOption, String> defaults,
      BenchOption... options) {
    this.name = name;
    this.summary = summary;
    this.description = description;
    this.defaults = defaults;
    this.options = EnumSet.copyOf(List.of(options));
  }

  public String scenarioName() {
    return name;
  }

  public String summary() {
    return summary;
  }

  public List<String> description() {
    return description;
  }

  public Set<BenchOption> options() {
    return options;
  }

  public boolean accepts(BenchOption option) {
    return options.contains(option);
  }

  /**
   * The scenario's default for {@code option}, which may differ from the option's general default.
   */
  public String defaultOf(BenchOption option) {
    return defaults.getOrDefault(option, option.defaultValue());
  }

  public static Scenario byName(String name) {
    for (Scenario scenario : values()) {
      if (scenario.name.equals(name)) {
        return scenario;
      }
    }
    return null;
  }
}
