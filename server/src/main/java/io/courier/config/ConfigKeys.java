package io.courier.config;

import static io.courier.config.ValueType.integer;
import static io.courier.config.ValueType.list;
import static io.courier.config.ValueType.oneOf;
import static io.courier.config.ValueType.secret;
import static io.courier.config.ValueType.someOf;
import static io.courier.config.ValueType.text;

import io.courier.admin.Cidr;
import io.courier.protocol.Wire;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key, declared once: path, environment variable, type, default and meaning.
 * {@link CourierConfig} reads them, {@link EnvironmentOverlay} maps their variables, and the key
 * table of {@code docs/configuration.md} is generated from them (a test keeps it in step).
 *
 * <p>The order here is the order of the documentation; paths and variables are checked for
 * duplicates when the class loads.
 */
public final class ConfigKeys {

  /** The headings of the key table. */
  public enum Group {
    NODE("Node and roles"),
    CLUSTER("Cluster (only with `-cluster`)"),
    GATE("Gate (client TCP)"),
    ROUTING("Routing (messages)"),
    HTTP("HTTP and business bridge"),
    OPS("Operations"),
    PUSH("Offline push"),
    STORAGE("Storage"),
    APPS("Apps"),
    TOKENS("Tokens"),
    TLS("TLS (PEM files)");

    private final String title;

    Group(String title) {
      this.title = title;
    }

    /** The heading, in Markdown. */
    public String title() {
      return title;
    }
  }

  private static final int MAX_PORT = 65535;

  private static final List<ConfigKey<?>> ALL = new ArrayList<>();

  public static final ConfigKey<Integer> NODE_ID =
      key(
          Group.NODE,
          "node.id",
          "COURIER_NODE_ID",
          integer(0, 1023),
          0,
          "node id in msgids ([protocol section 11](protocol.md#11-msgid)). On a single node it is"
              + " used as is. In a cluster it is the hint from which the node leases a free id"
              + " (see [cluster.md](cluster.md#3-node-ids))");

  public static final ConfigKey<Set<Role>> NODE_ROLES =
      key(
          Group.NODE,
          "node.roles",
          "COURIER_ROLES",
          someOf(Role.class),
          Collections.unmodifiableSet(EnumSet.allOf(Role.class)),
          "roles this node runs ([cluster.md](cluster.md#2-roles)): `gate` the client TCP"
              + " server; `logic` login, routing, offline store and business bridge; `detector`"
              + " the cleanup after a dead node, which only acts when clustered");

  public static final ConfigKey<String> CLUSTER_NAME =
      key(
          Group.CLUSTER,
          "cluster.name",
          "COURIER_CLUSTER_NAME",
          text(),
          "courier",
          "Hazelcast cluster name; members with another name never join");

  public static final ConfigKey<String> CLUSTER_HOST =
      key(
          Group.CLUSTER,
          "cluster.host",
          "COURIER_CLUSTER_HOST",
          text("host name or IPv4 address"),
          null,
          "address this member announces to the others, for Hazelcast and for the clustered"
              + " event bus, and the only interface both bind (a host name is resolved at start;"
              + " it must give an IPv4 address, not `0.0.0.0`). Unset: `127.0.0.1`, a cluster of"
              + " this host only");

  public static final ConfigKey<Integer> CLUSTER_PORT =
      key(
          Group.CLUSTER,
          "cluster.port",
          "COURIER_CLUSTER_PORT",
          integer(1, MAX_PORT),
          5701,
          "Hazelcast member port (no auto-increment: a taken port fails the start)");

  public static final ConfigKey<List<String>> CLUSTER_MEMBERS =
      key(
          Group.CLUSTER,
          "cluster.members",
          "COURIER_CLUSTER_MEMBERS",
          list("list of `host:port`", member -> true, null),
          List.of(),
          "members to contact when joining (TCP-IP join). One reachable member is enough; list"
              + " them all. Empty, the list of `cluster.xml` applies (`127.0.0.1:5701`)");

  public static final ConfigKey<Integer> CLUSTER_JOIN_WAIT_SECONDS =
      key(
          Group.CLUSTER,
          "cluster.joinWaitSeconds",
          "COURIER_CLUSTER_JOIN_WAIT_SECONDS",
          integer(0, 60),
          2,
          "seconds a starting member waits for others before forming a cluster alone"
              + " (`hazelcast.wait.seconds.before.join`; the maximum wait is twice this)");

  public static final ConfigKey<String> GATE_HOST =
      key(
          Group.GATE,
          "gate.host",
          "COURIER_GATE_HOST",
          text(),
          "0.0.0.0",
          "interface of the client TCP server. Unset in development mode (a published secret in"
              + " use): 127.0.0.1, and another interface is refused"
              + " ([security.md](security.md#secrets-and-development-mode))");

  public static final ConfigKey<Integer> GATE_PORT =
      key(
          Group.GATE,
          "gate.port",
          "COURIER_GATE_PORT",
          integer(1, MAX_PORT),
          9000,
          "client TCP port");

  public static final ConfigKey<Integer> GATE_INSTANCES =
      key(
          Group.GATE,
          "gate.instances",
          "COURIER_GATE_INSTANCES",
          integer(0, 1024),
          0,
          "gate verticle instances; 0 = one per event loop. The same number of login, routing"
              + " and offline verticle instances is deployed on a node with the `logic` role");

  public static final ConfigKey<Integer> GATE_MAX_BODY_BYTES =
      key(
          Group.GATE,
          "gate.maxBodyBytes",
          "COURIER_GATE_MAX_BODY",
          integer(1024, 16 * 1024 * 1024),
          Wire.DEFAULT_MAX_BODY,
          "largest frame body a client may send; a header announcing more gets ERROR 413 and"
              + " close");

  public static final ConfigKey<Integer> GATE_WRITE_QUEUE_BYTES =
      key(
          Group.GATE,
          "gate.writeQueueBytes",
          "COURIER_GATE_WRITE_QUEUE_BYTES",
          integer(4096, 64 * 1024 * 1024),
          128 * 1024,
          "bytes queued to one client before the gate stops reading it and pushes to it are"
              + " refused (they wait offline); on the TCP gate counted as Netty counts them, about"
              + " 96 bytes of bookkeeping per frame included"
              + " ([security.md](security.md#slow-readers))");

  public static final ConfigKey<Integer> GATE_MAX_PENDING_BYTES =
      key(
          Group.GATE,
          "gate.maxPendingBytes",
          "COURIER_GATE_MAX_PENDING_BYTES",
          integer(64 * 1024, 1024 * 1024 * 1024),
          1024 * 1024,
          "bytes queued for one client, not yet taken by its socket, above which the next frame"
              + " due closes the connection at once, without a frame"
              + " ([security.md](security.md#slow-readers)). Keep it above `gate.writeQueueBytes`"
              + " and above the largest response (a PULL or HISTORY page)");

  public static final ConfigKey<Integer> GATE_WRITE_STALL_SECONDS =
      key(
          Group.GATE,
          "gate.writeStallSeconds",
          "COURIER_GATE_WRITE_STALL_SECONDS",
          integer(1, 3600),
          10,
          "a connection that stays behind on reading (`gate.writeQueueBytes` queued, not drained to"
              + " half of that) for this long is closed at once, without a frame"
              + " ([security.md](security.md#slow-readers))");

  public static final ConfigKey<Integer> GATE_MAX_UNACKED_BYTES =
      key(
          Group.GATE,
          "gate.maxUnackedBytes",
          "COURIER_GATE_MAX_UNACKED_BYTES",
          integer(4096, 1024 * 1024 * 1024),
          1024 * 1024,
          "bytes of qos-1 PUSH frames one connection may hold unacknowledged, beside the fixed"
              + " 1024 pushes; once that much is held, further qos-1 messages wait offline"
              + " ([security.md](security.md#unacknowledged-pushes))");

  public static final ConfigKey<Integer> GATE_MAX_INFLIGHT =
      key(
          Group.GATE,
          "gate.maxInflight",
          "COURIER_GATE_MAX_INFLIGHT",
          integer(1, 100_000),
          32,
          "requests of one connection at the logic roles awaiting their answer: each C2S, PULL,"
              + " OFFLINE_ACK and HISTORY counts one, the connection's C2C queue one while it holds"
              + " any; one more is answered 429 at once"
              + " ([security.md](security.md#requests-in-flight))");

  public static final ConfigKey<Integer> GATE_MAX_FRAMES_PER_SECOND =
      key(
          Group.GATE,
          "gate.maxFramesPerSecond",
          "COURIER_GATE_MAX_FRAMES_PER_SECOND",
          integer(1, 1_000_000),
          100,
          "frames per second one connection may send, sustained, in bursts of `gate.frameBurst`;"
              + " a frame beyond that is answered 429, and a connection whose refused frames"
              + " exceed another burst is kicked with 4005 ([security.md](security.md#frame-rate))."
              + " The ack of a PUSH the connection received costs nothing");

  public static final ConfigKey<Integer> GATE_FRAME_BURST =
      key(
          Group.GATE,
          "gate.frameBurst",
          "COURIER_GATE_FRAME_BURST",
          integer(1, 1_000_000),
          1000,
          "frames one connection may send at once (the bucket that `gate.maxFramesPerSecond`"
              + " refills); its refused frames have a bucket of the same size, and the connection"
              + " is kicked with 4005 when that one is empty too");

  public static final ConfigKey<Integer> GATE_C2C_RATE_PER_SENDER =
      key(
          Group.GATE,
          "gate.c2cRatePerSender",
          "COURIER_C2C_RATE_PER_SENDER",
          integer(1, 1_000_000),
          50,
          "C2C messages per second one connection, that is one sender (`uid`, `appcode`), may"
              + " send, sustained, in bursts of `gate.c2cBurst`; one more is answered 429 at once"
              + " ([security.md](security.md#quotas-and-retention))");

  public static final ConfigKey<Integer> GATE_C2C_BURST =
      key(
          Group.GATE,
          "gate.c2cBurst",
          "COURIER_C2C_BURST",
          integer(1, 1_000_000),
          256,
          "C2C messages one connection may send at once (the bucket that"
              + " `gate.c2cRatePerSender` refills); the default is the C2C queue's size, so that an"
              + " outbox sent at once after a reconnect is not refused");

  public static final ConfigKey<Integer> GATE_LOGIN_TIMEOUT_MS =
      key(
          Group.GATE,
          "gate.loginTimeoutMs",
          "COURIER_LOGIN_TIMEOUT_MS",
          integer(100, 600_000),
          10_000,
          "a connection not logged in by then is closed");

  public static final ConfigKey<Integer> GATE_HEARTBEAT_SECONDS =
      key(
          Group.GATE,
          "gate.heartbeatSeconds",
          "COURIER_HEARTBEAT_SECONDS",
          integer(1, 3600),
          30,
          "PING interval advertised at login; a connection silent for 3× this gets KICK 4003");

  public static final ConfigKey<Integer> GATE_REQUEST_TIMEOUT_MS =
      key(
          Group.GATE,
          "gate.requestTimeoutMs",
          "COURIER_REQUEST_TIMEOUT_MS",
          integer(10, 600_000),
          10_000,
          "timeout of a gate's request to the logic roles (the client gets 504 after it), and of"
              + " routing's push batch to a gate (a push not confirmed by then counts as not"
              + " pushed; qos 1 waits offline). Keep it above `routing.c2sTimeoutMs` so a slow C2S"
              + " consumer is reported by routing");

  public static final ConfigKey<String> GATE_PUBLIC_HOST =
      key(
          Group.GATE,
          "gate.publicHost",
          "COURIER_GATE_PUBLIC_HOST",
          text(),
          null,
          "host that `GET /v1/gates` gives clients for this gate. Unset: `gate.host` unless"
              + " `0.0.0.0`, else `cluster.host`, else this host's address");

  public static final ConfigKey<Integer> GATE_DRAIN_SECONDS =
      key(
          Group.GATE,
          "gate.drainSeconds",
          "COURIER_DRAIN_SECONDS",
          integer(0, 3600),
          10,
          "window over which a stopping gate spreads KICK 4002 (\"server shutting down\") to its"
              + " clients, so that they do not all reconnect elsewhere at once; the gate stops"
              + " once they are all closed. 0 kicks them all at once");

  public static final ConfigKey<Integer> GATE_MAX_CONNECTIONS =
      key(
          Group.GATE,
          "gate.maxConnections",
          "COURIER_GATE_MAX_CONNECTIONS",
          integer(1, 10_000_000),
          100_000,
          "open client connections on this node; one more gets ERROR 503 and close (see"
              + " [security.md](security.md#admission-control))");

  public static final ConfigKey<Integer> GATE_MAX_CONNECTIONS_PER_IP =
      key(
          Group.GATE,
          "gate.maxConnectionsPerIp",
          "COURIER_GATE_MAX_CONNECTIONS_PER_IP",
          integer(1, 10_000_000),
          5_000,
          "open connections from one source address (an IPv6 client's /64); one more gets ERROR"
              + " 429 and close. Generous because a carrier's NAT puts many phones behind one"
              + " address");

  public static final ConfigKey<Integer> GATE_ACCEPT_RATE_PER_IP =
      key(
          Group.GATE,
          "gate.acceptRatePerIp",
          "COURIER_GATE_ACCEPT_RATE_PER_IP",
          integer(1, 1_000_000),
          1_000,
          "new connections per second from one source address (token bucket, burst of two"
              + " seconds' worth); beyond it ERROR 429 and close");

  public static final ConfigKey<Integer> GATE_LOGIN_RATE_PER_IP =
      key(
          Group.GATE,
          "gate.loginRatePerIp",
          "COURIER_GATE_LOGIN_RATE_PER_IP",
          integer(1, 1_000_000),
          1_000,
          "LOGIN requests per second from one source address (burst of two seconds' worth);"
              + " beyond it LOGIN gets 429 and the connection stays open");

  public static final ConfigKey<Integer> GATE_LOGIN_RATE_PER_UID =
      key(
          Group.GATE,
          "gate.loginRatePerUid",
          "COURIER_GATE_LOGIN_RATE_PER_UID",
          integer(1, 1_000_000),
          5,
          "LOGIN requests per second naming one uid, from any address (burst of two seconds'"
              + " worth); beyond it LOGIN gets 429");

  public static final ConfigKey<Integer> GATE_LOGIN_FAILURES_BEFORE_BAN =
      key(
          Group.GATE,
          "gate.loginFailuresBeforeBan",
          "COURIER_GATE_LOGIN_FAILURES_BEFORE_BAN",
          integer(1, 1_000_000),
          100,
          "LOGINs refused with 401 from one source address within `gate.loginBanSeconds` that"
              + " ban the address for `gate.loginBanSeconds`: its new connections get ERROR 429,"
              + " its LOGINs 429");

  public static final ConfigKey<Integer> GATE_LOGIN_BAN_SECONDS =
      key(
          Group.GATE,
          "gate.loginBanSeconds",
          "COURIER_GATE_LOGIN_BAN_SECONDS",
          integer(1, 86_400),
          60,
          "length of a ban after failed logins, and the window in which failures are counted");

  public static final ConfigKey<Integer> GATE_FLOOD_COOLDOWN_SECONDS =
      key(
          Group.GATE,
          "gate.floodCooldownSeconds",
          "COURIER_GATE_FLOOD_COOLDOWN_SECONDS",
          integer(1, 86_400),
          30,
          "after a connection is kicked with 4005 (frame rate), LOGINs of its uid get 429 for this"
              + " long, and the kick counts as a failed login of its source address"
              + " ([security.md](security.md#frame-rate))");

  public static final ConfigKey<ProxyProtocol> GATE_PROXY_PROTOCOL =
      key(
          Group.GATE,
          "gate.proxyProtocol",
          "COURIER_GATE_PROXY_PROTOCOL",
          oneOf(ProxyProtocol.class),
          ProxyProtocol.OFF,
          "`on`: every connection must start with a PROXY protocol header (v1 or v2), as a load"
              + " balancer sends it, and the limits apply to the client address it announces; a"
              + " connection without one is closed. Only behind a balancer that always sends it");

  public static final ConfigKey<Integer> ROUTING_ACK_TIMEOUT_MS =
      key(
          Group.ROUTING,
          "routing.ackTimeoutMs",
          "COURIER_ACK_TIMEOUT_MS",
          integer(10, 600_000),
          10_000,
          "time a qos-1 PUSH waits for the client's ack before it is resent");

  public static final ConfigKey<Systems> ROUTING_SYSTEMS =
      key(
          Group.ROUTING,
          "routing.systems",
          "COURIER_SYSTEMS",
          new SystemsType(),
          Systems.development(),
          "user systems: appcodes whose terminals show one user the same conversations. A C2C"
              + " message to `(uid, appcode)` reaches every terminal of `uid` in `appcode`'s"
              + " system that has logged in, and the sender's other terminals get a `sync` copy"
              + " ([conversations.md](conversations.md)). The default groups the development"
              + " user app's Android, iOS and web appcodes");

  public static final ConfigKey<Integer> ROUTING_PUSH_RETRIES =
      key(
          Group.ROUTING,
          "routing.pushRetries",
          "COURIER_PUSH_RETRIES",
          integer(0, 100),
          2,
          "resends of an unacknowledged PUSH; after the last, the message stays in the offline"
              + " store for PULL");

  public static final ConfigKey<Integer> ROUTING_C2S_TIMEOUT_MS =
      key(
          Group.ROUTING,
          "routing.c2sTimeoutMs",
          "COURIER_C2S_TIMEOUT_MS",
          integer(10, 600_000),
          5_000,
          "time a C2S message waits for a business consumer's reply (504 after it)");

  public static final ConfigKey<Integer> ROUTING_MAX_CONTENT_BYTES =
      key(
          Group.ROUTING,
          "routing.maxContentBytes",
          "COURIER_MAX_CONTENT",
          integer(1, 1024 * 1024),
          16_384,
          "largest `content` in UTF-8 bytes for C2C, C2S and S2C (413 above)");

  public static final ConfigKey<Integer> ROUTING_C2S_OUTBOX_MAX_PER_SENDER =
      key(
          Group.ROUTING,
          "routing.c2sOutboxMaxPerSender",
          "COURIER_C2S_OUTBOX_MAX_PER_SENDER",
          integer(0, 1_000_000),
          1_000,
          "qos-1 C2S messages one sender (`from_uid`, `from_appcode`) may have waiting for a"
              + " business consumer; one more is refused with 429 and stored nowhere. 0: no limit"
              + " ([event-bus.md section 6](event-bus.md#6-courierc2sappcodemsgtype--messages-from-clients))");

  public static final ConfigKey<Integer> ROUTING_GROUP_MAX_MEMBERS =
      key(
          Group.ROUTING,
          "routing.groupMaxMembers",
          "COURIER_GROUP_MAX_MEMBERS",
          integer(2, 100_000),
          500,
          "most members of a group; a create or an add that would pass it is refused with 413 and"
              + " changes nothing ([groups.md section 1](groups.md#1-membership))");

  public static final ConfigKey<Integer> ROUTING_C2S_OUTBOX_RETENTION_DAYS =
      key(
          Group.ROUTING,
          "routing.c2sOutboxRetentionDays",
          "COURIER_C2S_OUTBOX_RETENTION_DAYS",
          integer(1, 36_500),
          7,
          "days a qos-1 C2S message waits for a business consumer, and a C2S cmid is remembered;"
              + " older ones are deleted by a background purge, never handed over");

  public static final ConfigKey<Integer> ROUTING_C2S_OUTBOX_RETRY_MAX_MS =
      key(
          Group.ROUTING,
          "routing.c2sOutboxRetryMaxMs",
          "COURIER_C2S_OUTBOX_RETRY_MAX_MS",
          integer(100, 600_000),
          2_000,
          "longest wait between two looks of a node for a consumer of a stored qos-1 C2S (the wait"
              + " doubles from 100 ms while none is found): how late at most a consumer that"
              + " registers on another node gets its backlog");

  public static final ConfigKey<String> HTTP_HOST =
      key(
          Group.HTTP,
          "http.host",
          "COURIER_HTTP_HOST",
          text(),
          "0.0.0.0",
          "interface of the public HTTP server: `GET /v1/gates`, `/health` and `/ready`. Metrics"
              + " and the admin API are on the admin listener (`ops.adminHost`, `ops.adminPort`)."
              + " Unset in development mode: 127.0.0.1, as `gate.host`");

  public static final ConfigKey<Integer> HTTP_PORT =
      key(
          Group.HTTP,
          "http.port",
          "COURIER_HTTP_PORT",
          integer(1, MAX_PORT),
          8080,
          "HTTP port. The node opens it last, once its store and roles are up");

  public static final ConfigKey<List<String>> HTTP_WS_ALLOWED_ORIGINS =
      key(
          Group.HTTP,
          "http.wsAllowedOrigins",
          "COURIER_WS_ALLOWED_ORIGINS",
          list(
              "list of origins `scheme://host[:port]`, or `*`",
              origin ->
                  origin.equals("*")
                      || (origin.startsWith("https://") || origin.startsWith("http://"))
                          && !origin.endsWith("/"),
              "must be * or scheme://host[:port] without a path"),
          List.of(),
          "web pages allowed to open the WebSocket gate `GET /ws` (their `Origin` header); empty:"
              + " only pages served from the same host and port as the request (the console at"
              + " `/console/`); `*`: any. A request without `Origin` (not from a browser) is"
              + " always accepted ([web.md](web.md))");

  public static final ConfigKey<List<String>> HTTP_TRUSTED_PROXIES =
      key(
          Group.HTTP,
          "http.trustedProxies",
          "COURIER_HTTP_TRUSTED_PROXIES",
          list(
              "list of addresses or CIDR blocks",
              ConfigKeys::isCidr,
              "must be an IPv4 or IPv6 address, optionally with a /prefix"),
          List.of(),
          "reverse proxies in front of the WebSocket gate: for a connection from one of them, the"
              + " client's address (for admission limits and bans) is the last address of"
              + " `X-Forwarded-For` that is not a trusted proxy. Empty: the header is ignored"
              + " ([web.md](web.md#behind-a-reverse-proxy))");

  public static final ConfigKey<String> BRIDGE_HOST =
      key(
          Group.HTTP,
          "bridge.host",
          "COURIER_BRIDGE_HOST",
          text(),
          "127.0.0.1",
          "interface of the TCP event-bus bridge; loopback by default because whoever connects"
              + " can push to any user");

  public static final ConfigKey<Integer> BRIDGE_PORT =
      key(
          Group.HTTP,
          "bridge.port",
          "COURIER_BRIDGE_PORT",
          integer(1, MAX_PORT),
          7000,
          "bridge port. The bridge runs on nodes with the `logic` role");

  public static final ConfigKey<Integer> BRIDGE_MAX_FRAME_BYTES =
      key(
          Group.HTTP,
          "bridge.maxFrameBytes",
          "COURIER_BRIDGE_MAX_FRAME",
          integer(1024, 64 * 1024 * 1024),
          256 * 1024,
          "largest frame a business may send on the bridge; a larger one closes that connection");

  public static final ConfigKey<String> BRIDGE_SECRET =
      key(
          Group.HTTP,
          "bridge.secret",
          "COURIER_BRIDGE_SECRET",
          secret(),
          null,
          "shared secret every bridge frame but `ping` must carry in its `courier-secret` header"
              + " ([event-bus.md section 8.6](event-bus.md#86-secret)): the business `shared`, which"
              + " may use the whole business API. Unset and without `bridge.businesses`, frames need"
              + " none. At least 32 bytes"
              + " ([security.md](security.md#secrets-and-development-mode))");

  public static final ConfigKey<List<BridgeBusiness>> BRIDGE_BUSINESSES =
      key(
          Group.HTTP,
          "bridge.businesses",
          "COURIER_BRIDGE_BUSINESSES",
          new BridgeBusinessesType(),
          List.of(),
          "the businesses of the bridge, each with its own secret (or client certificate), the"
              + " appcodes it owns and the addresses it may send to and register"
              + " ([event-bus.md section 8.10](event-bus.md#810-businesses)). `bridge.secret`, if"
              + " set, is one more business that may do everything");

  public static final ConfigKey<Integer> BRIDGE_MAX_REGISTRATIONS =
      key(
          Group.HTTP,
          "bridge.maxRegistrations",
          "COURIER_BRIDGE_MAX_REGISTRATIONS",
          integer(1, 1_000_000),
          1000,
          "addresses one bridge connection may have registered at once; one more `register` is"
              + " answered `too_many_registrations` and the connection stays open");

  public static final ConfigKey<Integer> BRIDGE_IDLE_SECONDS =
      key(
          Group.HTTP,
          "bridge.idleSeconds",
          "COURIER_BRIDGE_IDLE_SECONDS",
          integer(1, 86_400),
          300,
          "a bridge connection that sends no frame for this long is answered `idle_timeout` and"
              + " closed, its registrations with it; a business that only listens sends a `ping`"
              + " now and then");

  public static final ConfigKey<String> CLUSTER_SECRET =
      key(
          Group.CLUSTER,
          "cluster.secret",
          "COURIER_CLUSTER_SECRET",
          secret(),
          null,
          "the same secret on every node: each node seals its messages to `courier.internal.*` and"
              + " `courier.admin.*` with it and drops those that another cluster member did not"
              + " seal"
              + " ([cluster.md](cluster.md#11-internal-addresses-only-from-courier-nodes)). Required"
              + " unless the cluster is on loopback");

  public static final ConfigKey<String> OPS_ADMIN_HOST =
      key(
          Group.OPS,
          "ops.adminHost",
          "COURIER_ADMIN_HOST",
          text(),
          "127.0.0.1",
          "interface of the admin listener: `GET /metrics`, `/v1/stats/arrival` and"
              + " `/v1/trace/{logid}` ([operations.md](operations.md)). Loopback by default: open"
              + " it only to an internal network, never to clients");

  public static final ConfigKey<Integer> OPS_ADMIN_PORT =
      key(
          Group.OPS,
          "ops.adminPort",
          "COURIER_ADMIN_PORT",
          integer(1, MAX_PORT),
          8090,
          "port of the admin listener. Two nodes on one host need distinct ports");

  public static final ConfigKey<String> OPS_ADMIN_TOKEN =
      key(
          Group.OPS,
          "ops.adminToken",
          "COURIER_ADMIN_TOKEN",
          secret(),
          null,
          "bearer token of the admin API (`GET /v1/stats/arrival`, `GET /v1/trace/{logid}`, the"
              + " operator controls); while unset that API answers 403. `/metrics` on the admin"
              + " listener, and `/v1/gates`, `/health`, `/ready` on the HTTP port, need no token."
              + " At least 32 bytes ([security.md](security.md#secrets-and-development-mode))");

  public static final ConfigKey<MetricMsgtypes> OPS_METRIC_MSGTYPES =
      key(
          Group.OPS,
          "ops.metricMsgtypes",
          "COURIER_METRIC_MSGTYPES",
          new MetricMsgtypesType(),
          MetricMsgtypes.none(),
          "per receiver appcode, the msgtypes that `courier_delivery_total` and the arrival"
              + " report count under their own number; every other msgtype is counted as"
              + " `other`, so clients cannot add series. Each appcode must be one of `apps`");

  public static final ConfigKey<Integer> OPS_TRACE_ENTRIES =
      key(
          Group.OPS,
          "ops.traceEntries",
          "COURIER_TRACE_ENTRIES",
          integer(0, 10_000_000),
          400_000,
          "steps a node keeps for `/v1/trace`, in a ring where the oldest step is overwritten"
              + " first; a message takes 2–4 steps on a node (accepted, routed, pushed, acked …),"
              + " so the default covers about 100,000 messages; each step of capacity costs 160"
              + " bytes of heap (a byte log of 128 and a head of 32), allocated as the ring first"
              + " fills, and a step larger than 128 bytes makes the oldest go sooner");

  public static final ConfigKey<Integer> OPS_TRACE_RETENTION_SECONDS =
      key(
          Group.OPS,
          "ops.traceRetentionSeconds",
          "COURIER_TRACE_RETENTION_SECONDS",
          integer(1, 7 * 86_400),
          3600,
          "how long a node keeps the steps of a message");

  public static final ConfigKey<PushRules> PUSH_RULES =
      key(
          Group.PUSH,
          "push.rules",
          "COURIER_PUSH_RULES",
          new PushRulesType(),
          PushRules.allWake(),
          "per receiver appcode and msgtype, whether a qos-1 message waiting for an app without a"
              + " connection wakes it: `never`, `wake` (msgid, msgtype and `push.title`, never the"
              + " content) or `preview` (also the start of the content). Unlisted: `wake`. Each"
              + " appcode must be one of `apps`");

  public static final ConfigKey<String> PUSH_TITLE =
      key(
          Group.PUSH,
          "push.title",
          "COURIER_PUSH_TITLE",
          text(),
          "New message",
          "title of every wake-up notification");

  public static final ConfigKey<Integer> PUSH_COLLAPSE_SECONDS =
      key(
          Group.PUSH,
          "push.collapseSeconds",
          "COURIER_PUSH_COLLAPSE_SECONDS",
          integer(0, 3600),
          10,
          "after a notification to a receiver, further messages for it within this window fold"
              + " into one notification at the window's end. 0: one notification per message");

  public static final ConfigKey<Integer> PUSH_QUEUE_SIZE =
      key(
          Group.PUSH,
          "push.queueSize",
          "COURIER_PUSH_QUEUE_SIZE",
          integer(1, 10_000_000),
          10_000,
          "notifications a node holds waiting for a provider (and as many triggers waiting for"
              + " their devices); one more is dropped and counted"
              + " (`courier_push_notifications_total{result=\"overflow\"}`), never waited for");

  public static final ConfigKey<Integer> PUSH_SEND_RETRIES =
      key(
          Group.PUSH,
          "push.sendRetries",
          "COURIER_PUSH_SEND_RETRIES",
          integer(0, 20),
          3,
          "sends of a notification again after a provider answered 429 or 5xx or did not answer;"
              + " then it counts as failed");

  public static final ConfigKey<Integer> PUSH_RETRY_BASE_MS =
      key(
          Group.PUSH,
          "push.retryBaseMs",
          "COURIER_PUSH_RETRY_BASE_MS",
          integer(1, 600_000),
          1_000,
          "wait before the first resend; each further one waits twice as long (±20 %, at most"
              + " 5 minutes), or as long as the provider's `Retry-After` says if that is longer");

  public static final ConfigKey<Integer> PUSH_EXPIRATION_SECONDS =
      key(
          Group.PUSH,
          "push.expirationSeconds",
          "COURIER_PUSH_EXPIRATION_SECONDS",
          integer(0, 2_419_200),
          3600,
          "how long a provider keeps trying to reach a phone that is off (`apns-expiration`, FCM"
              + " `ttl`). 0: once, now or never");

  public static final ConfigKey<Integer> PUSH_REQUEST_TIMEOUT_MS =
      key(
          Group.PUSH,
          "push.requestTimeoutMs",
          "COURIER_PUSH_REQUEST_TIMEOUT_MS",
          integer(100, 600_000),
          10_000,
          "a provider's connection or answer taking longer than this counts as no answer (sent"
              + " again, `push.sendRetries`)");

  public static final ConfigKey<String> PUSH_CA_FILE =
      key(
          Group.PUSH,
          "push.caFile",
          "COURIER_PUSH_CA_FILE",
          text("path of a PEM file"),
          null,
          "certificate authorities the providers' and the webhook's TLS certificates must chain"
              + " to, instead of the JVM's (e.g. behind an inspecting proxy). Unset: the JVM's");

  public static final ConfigKey<String> PUSH_APNS_URL =
      key(
          Group.PUSH,
          "push.apns.url",
          "COURIER_PUSH_APNS_URL",
          text("`https://` URL", url -> url.startsWith("https://"), "must start with https://"),
          "https://api.push.apple.com",
          "APNs endpoint; `https://api.sandbox.push.apple.com` for development builds of an app");

  public static final ConfigKey<String> PUSH_APNS_KEY_FILE =
      key(
          Group.PUSH,
          "push.apns.keyFile",
          "COURIER_PUSH_APNS_KEY_FILE",
          text("path of a `.p8` file"),
          null,
          "the APNs authentication key (`AuthKey_<keyId>.p8`) that signs provider tokens. Unset:"
              + " APNs is off and its registrations are not notified");

  public static final ConfigKey<String> PUSH_APNS_KEY_ID =
      key(
          Group.PUSH,
          "push.apns.keyId",
          "COURIER_PUSH_APNS_KEY_ID",
          text(),
          null,
          "the 10-character id of that key; required with `push.apns.keyFile`");

  public static final ConfigKey<String> PUSH_APNS_TEAM_ID =
      key(
          Group.PUSH,
          "push.apns.teamId",
          "COURIER_PUSH_APNS_TEAM_ID",
          text(),
          null,
          "the Apple developer team id that owns the key; required with `push.apns.keyFile`");

  public static final ConfigKey<String> PUSH_APNS_TOPIC =
      key(
          Group.PUSH,
          "push.apns.topic",
          "COURIER_PUSH_APNS_TOPIC",
          text(),
          null,
          "`apns-topic` (the app's bundle id) of registrations that give no `topic`");

  public static final ConfigKey<Integer> PUSH_APNS_CONCURRENCY =
      key(
          Group.PUSH,
          "push.apns.concurrency",
          "COURIER_PUSH_APNS_CONCURRENCY",
          integer(1, 100_000),
          200,
          "APNs requests awaiting their answer at once (HTTP/2 streams, one connection per 100)");

  public static final ConfigKey<Integer> PUSH_APNS_RATE_PER_SECOND =
      key(
          Group.PUSH,
          "push.apns.ratePerSecond",
          "COURIER_PUSH_APNS_RATE_PER_SECOND",
          integer(1, 1_000_000),
          2_000,
          "APNs requests per second a node sends at most (bursts of one second's worth)");

  public static final ConfigKey<String> PUSH_FCM_URL =
      key(
          Group.PUSH,
          "push.fcm.url",
          "COURIER_PUSH_FCM_URL",
          text("`https://` URL", url -> url.startsWith("https://"), "must start with https://"),
          "https://fcm.googleapis.com",
          "FCM endpoint; requests go to `<url>/v1/projects/<project_id>/messages:send`");

  public static final ConfigKey<String> PUSH_FCM_SERVICE_ACCOUNT_FILE =
      key(
          Group.PUSH,
          "push.fcm.serviceAccountFile",
          "COURIER_PUSH_FCM_SERVICE_ACCOUNT_FILE",
          text("path of a JSON file"),
          null,
          "the Firebase service account key (JSON) whose OAuth access tokens authorize sends;"
              + " its `project_id` names the project, its `token_uri` the token endpoint. Unset:"
              + " FCM is off");

  public static final ConfigKey<Integer> PUSH_FCM_CONCURRENCY =
      key(
          Group.PUSH,
          "push.fcm.concurrency",
          "COURIER_PUSH_FCM_CONCURRENCY",
          integer(1, 100_000),
          200,
          "FCM requests awaiting their answer at once");

  public static final ConfigKey<Integer> PUSH_FCM_RATE_PER_SECOND =
      key(
          Group.PUSH,
          "push.fcm.ratePerSecond",
          "COURIER_PUSH_FCM_RATE_PER_SECOND",
          integer(1, 1_000_000),
          2_000,
          "FCM requests per second a node sends at most (bursts of one second's worth)");

  public static final ConfigKey<String> PUSH_WEBHOOK_URL =
      key(
          Group.PUSH,
          "push.webhook.url",
          "COURIER_PUSH_WEBHOOK_URL",
          text(
              "`http://` or `https://` URL",
              url -> url.startsWith("https://") || url.startsWith("http://"),
              "must start with http:// or https://"),
          null,
          "the business endpoint that relays `webhook` registrations to a vendor channel"
              + " (Xiaomi, Huawei …): it gets a signed POST per notification. Unset: webhook is"
              + " off");

  public static final ConfigKey<String> PUSH_WEBHOOK_SECRET =
      key(
          Group.PUSH,
          "push.webhook.secret",
          "COURIER_PUSH_WEBHOOK_SECRET",
          secret(),
          null,
          "HMAC-SHA256 key of the webhook's `X-Courier-Signature` header; required with"
              + " `push.webhook.url`");

  public static final ConfigKey<Integer> PUSH_WEBHOOK_CONCURRENCY =
      key(
          Group.PUSH,
          "push.webhook.concurrency",
          "COURIER_PUSH_WEBHOOK_CONCURRENCY",
          integer(1, 100_000),
          32,
          "webhook requests awaiting their answer at once (HTTP/1.1 connections)");

  public static final ConfigKey<Integer> PUSH_WEBHOOK_RATE_PER_SECOND =
      key(
          Group.PUSH,
          "push.webhook.ratePerSecond",
          "COURIER_PUSH_WEBHOOK_RATE_PER_SECOND",
          integer(1, 1_000_000),
          500,
          "webhook requests per second a node sends at most (bursts of one second's worth)");

  public static final ConfigKey<String> DATA_DIR =
      key(
          Group.STORAGE,
          "data.dir",
          "COURIER_DATA_DIR",
          text("directory path"),
          "data",
          "directory of the embedded message store (RocksDB in `<dir>/messages`), created when"
              + " missing; relative to the working directory. A directory that holds the H2 file"
              + " `courier.mv.db` of an earlier Courier is refused: copy it with `migrate-store`"
              + " ([storage.md](storage.md#27-migrating-an-h2-data-directory)). The embedded registry"
              + " of push devices is `<dir>/devices`");

  public static final ConfigKey<PresenceBackend> PRESENCE_BACKEND =
      key(
          Group.STORAGE,
          "presence.backend",
          "COURIER_PRESENCE",
          oneOf(PresenceBackend.class),
          PresenceBackend.SHARED,
          "presence store: Vert.x shared data (a local map; a Hazelcast map when clustered) or"
              + " Redis ([storage.md](storage.md#1-presence))");

  public static final ConfigKey<String> PRESENCE_REDIS_URL =
      key(
          Group.STORAGE,
          "presence.redisUrl",
          "COURIER_REDIS_URL",
          text("Vert.x Redis connection string"),
          "redis://127.0.0.1:6379",
          "the Redis of presence; used only with `presence.backend` = `redis`. Not contacted at"
              + " start-up");

  public static final ConfigKey<Integer> PRESENCE_TTL_SECONDS =
      key(
          Group.STORAGE,
          "presence.ttlSeconds",
          "COURIER_PRESENCE_TTL_SECONDS",
          integer(3, 86_400),
          90,
          "Redis presence records expire after this unless refreshed; gates refresh them every"
              + " third of it");

  public static final ConfigKey<StoreBackend> STORE_BACKEND =
      key(
          Group.STORAGE,
          "store.backend",
          "COURIER_STORE",
          oneOf(StoreBackend.class),
          StoreBackend.EMBEDDED,
          "message store: embedded RocksDB under `data.dir`, or sharded MySQL"
              + " ([storage.md](storage.md#2-message-store)). A clustered node with the `logic`"
              + " role needs `mysql`");

  public static final ConfigKey<List<String>> STORE_MYSQL_SHARDS =
      key(
          Group.STORAGE,
          "store.mysqlShards",
          "COURIER_MYSQL_SHARDS",
          list(
              "list of `mysql://user:password@host:port/database`",
              shard -> shard.startsWith("mysql://"),
              "must hold mysql:// URIs"),
          List.of(),
          "one URI per shard, in shard order (shard *i* is entry *i*: the order matters). At least"
              + " one is required when `store.backend` = `mysql`");

  public static final ConfigKey<Integer> STORE_OFFLINE_MAX_PER_USER =
      key(
          Group.STORAGE,
          "store.offlineMaxPerUser",
          "COURIER_OFFLINE_MAX_PER_USER",
          integer(0, 100_000_000),
          10_000,
          "offline messages one receiver (`to_uid`, `to_appcode`) may have waiting; a C2C or qos-1"
              + " S2C beyond it is refused with 429 and stored nowhere. 0: no limit"
              + " ([security.md](security.md#quotas-and-retention))");

  public static final ConfigKey<Integer> STORE_OFFLINE_RETENTION_DAYS =
      key(
          Group.STORAGE,
          "store.offlineRetentionDays",
          "COURIER_OFFLINE_RETENTION_DAYS",
          integer(0, 36_500),
          30,
          "days an offline message waits for its receiver; older ones are deleted by a"
              + " background purge, never delivered. 0: kept until acknowledged");

  public static final ConfigKey<Integer> STORE_HISTORY_RETENTION_DAYS =
      key(
          Group.STORAGE,
          "store.historyRetentionDays",
          "COURIER_HISTORY_RETENTION_DAYS",
          integer(0, 36_500),
          180,
          "days a C2C history row is kept; older ones are deleted by a background purge. 0:"
              + " kept forever");

  public static final ConfigKey<Integer> STORE_BLOCK_CACHE_MB =
      key(
          Group.STORAGE,
          "store.blockCacheMb",
          "COURIER_STORE_BLOCK_CACHE_MB",
          integer(1, 1_048_576),
          64,
          "embedded store: MiB of RocksDB's block cache (data, index and Bloom filter blocks"
              + " read from its files); with `store.writeBufferMb`, the bound of its memory"
              + " ([storage.md](storage.md#85-sizing))");

  public static final ConfigKey<Integer> STORE_WRITE_BUFFER_MB =
      key(
          Group.STORAGE,
          "store.writeBufferMb",
          "COURIER_STORE_WRITE_BUFFER_MB",
          integer(4, 65_536),
          64,
          "embedded store: MiB of RocksDB's memtables (writes not yet in a file) together; also"
              + " bounds what a restart after a crash replays from the write-ahead log");

  public static final ConfigKey<Apps> APPS =
      key(
          Group.APPS,
          "apps",
          "COURIER_APPS",
          new AppsType(),
          Apps.development(),
          "the appcodes clients may log in with, and the HS256 secret that signs each one's"
              + " tokens, at least 32 bytes. While one is the development secret (or a `change-me`"
              + " placeholder), every listener binds loopback only"
              + " ([security.md](security.md#secrets-and-development-mode))");

  public static final ConfigKey<Map<Integer, String>> TOKENS_ISSUER =
      key(
          Group.TOKENS,
          "tokens.issuer",
          "COURIER_TOKEN_ISSUER",
          new PerAppcodeType(),
          Map.of(),
          "per appcode, the `iss` claim its tokens must carry (exactly); a token without it, or"
              + " with another, is refused with 401. Appcodes not listed accept any `iss`. Each"
              + " appcode must be one of `apps` ([protocol section 14](protocol.md#14-login-token))");

  public static final ConfigKey<Map<Integer, String>> TOKENS_AUDIENCE =
      key(
          Group.TOKENS,
          "tokens.audience",
          "COURIER_TOKEN_AUDIENCE",
          new PerAppcodeType(),
          Map.of(),
          "per appcode, a value its tokens' `aud` claim must hold (`aud` a string equal to it, or"
              + " an array containing it); otherwise 401. Appcodes not listed accept any `aud`."
              + " Each appcode must be one of `apps`");

  public static final ConfigKey<Integer> TOKENS_MAX_REVOCATIONS =
      key(
          Group.TOKENS,
          "tokens.maxRevocations",
          "COURIER_TOKEN_MAX_REVOCATIONS",
          integer(1, 10_000_000),
          100_000,
          "revoked tokens the cluster keeps at once (each until its `exp`, a few hundred bytes of heap"
              + " on every node); one more revocation is refused with 429"
              + " ([security.md](security.md#token-lifetime-and-revocation))");

  public static final ConfigKey<String> GATE_TLS_CERT =
      key(
          Group.TLS,
          "gate.tlsCert",
          "COURIER_GATE_TLS_CERT",
          text("path of a PEM file"),
          null,
          "certificate chain of the gate, leaf first. Set with `gate.tlsKey`, the gate port speaks"
              + " TLS 1.2 or 1.3 only; unset, the gate is plain TCP");

  public static final ConfigKey<String> GATE_TLS_KEY =
      key(
          Group.TLS,
          "gate.tlsKey",
          "COURIER_GATE_TLS_KEY",
          text("path of a PEM file"),
          null,
          "private key of `gate.tlsCert` (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted)");

  public static final ConfigKey<Integer> GATE_PLAIN_PORT =
      key(
          Group.TLS,
          "gate.plainPort",
          "COURIER_GATE_PLAIN_PORT",
          integer(1, MAX_PORT),
          null,
          "a second, plain-TCP port of the same gate (same sessions, limits and admission) while"
              + " clients move to TLS; only with `gate.tlsCert`. Unset: no plain port");

  public static final ConfigKey<String> HTTP_TLS_CERT =
      key(
          Group.TLS,
          "http.tlsCert",
          "COURIER_HTTP_TLS_CERT",
          text("path of a PEM file"),
          null,
          "certificate chain of the public HTTP server; with `http.tlsKey` it serves HTTPS only");

  public static final ConfigKey<String> HTTP_TLS_KEY =
      key(
          Group.TLS,
          "http.tlsKey",
          "COURIER_HTTP_TLS_KEY",
          text("path of a PEM file"),
          null,
          "private key of `http.tlsCert`");

  public static final ConfigKey<String> OPS_ADMIN_TLS_CERT =
      key(
          Group.TLS,
          "ops.adminTlsCert",
          "COURIER_ADMIN_TLS_CERT",
          text("path of a PEM file"),
          null,
          "certificate chain of the admin listener; with `ops.adminTlsKey` it serves HTTPS only");

  public static final ConfigKey<String> OPS_ADMIN_TLS_KEY =
      key(
          Group.TLS,
          "ops.adminTlsKey",
          "COURIER_ADMIN_TLS_KEY",
          text("path of a PEM file"),
          null,
          "private key of `ops.adminTlsCert`");

  public static final ConfigKey<String> BRIDGE_TLS_CERT =
      key(
          Group.TLS,
          "bridge.tlsCert",
          "COURIER_BRIDGE_TLS_CERT",
          text("path of a PEM file"),
          null,
          "certificate chain of the business bridge; with `bridge.tlsKey` the bridge speaks TLS"
              + " only");

  public static final ConfigKey<String> BRIDGE_TLS_KEY =
      key(
          Group.TLS,
          "bridge.tlsKey",
          "COURIER_BRIDGE_TLS_KEY",
          text("path of a PEM file"),
          null,
          "private key of `bridge.tlsCert`");

  public static final ConfigKey<String> BRIDGE_TLS_CLIENT_CA =
      key(
          Group.TLS,
          "bridge.tlsClientCa",
          "COURIER_BRIDGE_TLS_CLIENT_CA",
          text("path of a PEM file"),
          null,
          "certificates of the authorities whose client certificates the bridge accepts; the"
              + " bridge then asks every business for one (`bridge.tlsClientAuth`). Only with"
              + " `bridge.tlsCert`. Unset: no client certificates");

  public static final ConfigKey<ClientAuthMode> BRIDGE_TLS_CLIENT_AUTH =
      key(
          Group.TLS,
          "bridge.tlsClientAuth",
          "COURIER_BRIDGE_TLS_CLIENT_AUTH",
          oneOf(ClientAuthMode.class),
          ClientAuthMode.REQUIRED,
          "with `bridge.tlsClientCa`: `required` refuses a connection without a certificate of"
              + " those authorities; `requested` also accepts one without a certificate (a"
              + " certificate that is sent must still be valid)");

  public static final ConfigKey<String> CLUSTER_TLS_CERT =
      key(
          Group.TLS,
          "cluster.tlsCert",
          "COURIER_CLUSTER_TLS_CERT",
          text("path of a PEM file"),
          null,
          "certificate of this node on the clustered event bus. With `cluster.tlsKey` and"
              + " `cluster.tlsCa` the event bus between nodes speaks TLS both ways and each end"
              + " must show a certificate of `cluster.tlsCa`"
              + " ([cluster.md](cluster.md#41-event-bus-tls)). Read at start only");

  public static final ConfigKey<String> CLUSTER_TLS_KEY =
      key(
          Group.TLS,
          "cluster.tlsKey",
          "COURIER_CLUSTER_TLS_KEY",
          text("path of a PEM file"),
          null,
          "private key of `cluster.tlsCert`");

  public static final ConfigKey<String> CLUSTER_TLS_CA =
      key(
          Group.TLS,
          "cluster.tlsCa",
          "COURIER_CLUSTER_TLS_CA",
          text("path of a PEM file"),
          null,
          "the authorities whose certificates the nodes accept from each other on the event bus");

  public static final ConfigKey<Integer> TLS_RELOAD_SECONDS =
      key(
          Group.TLS,
          "tls.reloadSeconds",
          "COURIER_TLS_RELOAD_SECONDS",
          integer(0, 86_400),
          10,
          "how often the gate, HTTP, admin and bridge listeners look at their PEM files; changed"
              + " files are loaded without closing a connection, and a bad or mismatched pair"
              + " keeps the certificate in use (`courier_tls_reloads_total`). 0: never");

  static {
    Set<String> seen = new HashSet<>();
    for (ConfigKey<?> key : ALL) {
      if (!seen.add(key.path()) || !seen.add(key.variable())) {
        throw new IllegalStateException("configuration key declared twice: " + key);
      }
    }
  }

  private ConfigKeys() {}

  /** Every key, in the order of the documentation. */
  public static List<ConfigKey<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  private static <T> ConfigKey<T> key(
      Group group, String path, String variable, ValueType<T> type, T defaultValue, String doc) {
    ConfigKey<T> key = new ConfigKey<>(group, path, variable, type, defaultValue, doc);
    ALL.add(key);
    return key;
  }

  private static boolean isCidr(String text) {
    try {
      Cidr.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
