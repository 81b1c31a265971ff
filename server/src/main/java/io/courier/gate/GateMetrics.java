package io.courier.gate;

import io.courier.gate.Admission.Verdict;
import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The gate's meters: {@code courier_frames_total{cmd}} for every frame a client sent (cmd is the
 * command's name, {@code PUSH_ACK}, or {@code unknown}) and {@code courier_logins_total{result}}
 * ({@code ok} or the refusal code). The connection count is a gauge registered with the node's
 * sessions.
 *
 * <p>Admission ({@link Admission}): {@code courier_gate_refused_total{reason}} connections refused
 * at accept, {@code courier_gate_login_refused_total{reason}} LOGINs refused before the login role
 * (both with {@code reason="operator_ban"} for the operators' bans, {@link OperatorBans}), {@code
 * courier_gate_bans_total} addresses banned after failed logins, and the gauges {@code
 * courier_gate_admission_tracked{table}} (addresses, uids remembered) and {@code
 * courier_gate_admission_limit{limit}} (the configured limits).
 *
 * <p>The limits of a connection ({@link ConnectionLimit}, {@code docs/security.md}): {@code
 * courier_gate_limited_total{limit}} counts the frames answered 429 by one, {@code
 * courier_gate_cut_total{limit}} the connections closed by one, and {@code
 * courier_gate_pushes_refused_total{qos}} the PUSHes a connection could not take (qos 1 waits
 * offline, qos 0 is dropped).
 */
final class GateMetrics {
  private final MeterRegistry registry;
  private final Map<Command, Counter> frames = new EnumMap<>(Command.class);
  private final Counter pushAcks;
  private final Counter unknownFrames;
  private final Map<Code, Counter> logins = new ConcurrentHashMap<>();
  private final Map<Code, Counter> refreshes = new ConcurrentHashMap<>();
  private final Counter tokensExpired;
  private final Map<Verdict, Counter> refusedConnections = new EnumMap<>(Verdict.class);
  private final Map<Verdict, Counter> refusedLogins = new EnumMap<>(Verdict.class);
  private final Counter bans;
  private final Map<ConnectionLimit, Counter> limited = new EnumMap<>(ConnectionLimit.class);
  private final Map<ConnectionLimit, Counter> cut = new EnumMap<>(ConnectionLimit.class);
  private final Counter[] pushesRefused = new Counter[2];

  GateMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Command command : Command.values()) {
      if (command.direction() == Command.Direction.CLIENT) {
        frames.put(command, frameCounter(command.name()));
      }
    }
    pushAcks = frameCounter("PUSH_ACK");
    unknownFrames = frameCounter("unknown");
    for (Verdict verdict :
        EnumSet.of(
            Verdict.NODE_FULL,
            Verdict.TABLE_FULL,
            Verdict.ADDRESS_FULL,
            Verdict.ACCEPT_RATE,
            Verdict.BANNED,
            Verdict.OPERATOR_BAN_ADDRESS)) {
      refusedConnections.put(verdict, refusal("courier.gate.refused", "connections", verdict));
    }
    for (Verdict verdict :
        EnumSet.of(
            Verdict.TABLE_FULL,
            Verdict.BANNED,
            Verdict.LOGIN_RATE_ADDRESS,
            Verdict.LOGIN_RATE_UID,
            Verdict.FLOOD_COOLDOWN,
            Verdict.OPERATOR_BAN_UID)) {
      refusedLogins.put(verdict, refusal("courier.gate.login.refused", "LOGINs", verdict));
    }
    bans =
        Counter.builder("courier.gate.bans")
            .description("source addresses banned after failed logins and frame-rate kicks")
            .register(registry);
    tokensExpired =
        Counter.builder("courier.gate.tokens.expired")
            .description("sessions closed with KICK 4004 at their token's exp")
            .register(registry);
    for (ConnectionLimit limit : ConnectionLimit.values()) {
      if (limit.refuses()) {
        limited.put(
            limit,
            Counter.builder("courier.gate.limited")
                .description("frames from clients answered 429 by a connection limit")
                .tag("limit", limit.tag())
                .register(registry));
      }
      if (limit.closes()) {
        cut.put(
            limit,
            Counter.builder("courier.gate.cut")
                .description("client connections closed by a connection limit")
                .tag("limit", limit.tag())
                .register(registry));
      }
    }
    for (int qos = 0; qos < pushesRefused.length; qos++) {
      pushesRefused[qos] =
          Counter.builder("courier.gate.pushes.refused")
              .description(
                  "pushes a connection could not take (closing, behind on reading, too much"
                      + " unacknowledged): qos 1 waits offline, qos 0 is dropped")
              .tag("qos", Integer.toString(qos))
              .register(registry);
    }
  }

  /** A frame was answered 429 by {@code limit}. */
  void limited(ConnectionLimit limit) {
    limited.get(limit).increment();
  }

  /** A connection was closed by {@code limit}. */
  void cut(ConnectionLimit limit) {
    cut.get(limit).increment();
  }

  /** A connection could not take a push of {@code qos}. */
  void pushRefused(int qos) {
    pushesRefused[qos == 0 ? 0 : 1].increment();
  }

  void frame(int cmd) {
    if (cmd == Command.PUSH.responseCode()) {
      pushAcks.increment();
      return;
    }
    Counter counter = frames.get(Command.fromCode(cmd));
    (counter == null ? unknownFrames : counter).increment();
  }

  void login(Code result) {
    logins
        .computeIfAbsent(
            result,
            code ->
                Counter.builder("courier.logins")
                    .description("LOGIN requests by result")
                    .tag("result", code == Code.OK ? "ok" : Integer.toString(code.value()))
                    .register(registry))
        .increment();
  }

  void refresh(Code result) {
    refreshes
        .computeIfAbsent(
            result,
            code ->
                Counter.builder("courier.refreshes")
                    .description("REFRESH requests by result")
                    .tag("result", code == Code.OK ? "ok" : Integer.toString(code.value()))
                    .register(registry))
        .increment();
  }

  /** A session reached its token's expiry without a REFRESH and got KICK 4004. */
  void tokenExpired() {
    tokensExpired.increment();
  }

  private Counter frameCounter(String cmd) {
    return Counter.builder("courier.frames")
        .description("frames received from clients")
        .tag("cmd", cmd)
        .register(registry);
  }

  /** A new connection was refused with {@code verdict}. */
  void connectionRefused(Verdict verdict) {
    refusedConnections.get(verdict).increment();
  }

  /** A LOGIN was refused with {@code verdict} before it reached the login role. */
  void loginRefused(Verdict verdict) {
    refusedLogins.get(verdict).increment();
  }

  /** A source address was banned after failed logins. */
  void banned() {
    bans.increment();
  }

  /**
   * Registers the gauges of the node's {@code admission}; the node's gate verticles all call it,
   * and the registry keeps the first.
   */
  void watch(Admission admission) {
    tracked(admission, "addresses", Admission::trackedAddresses);
    tracked(admission, "uids", Admission::trackedUids);
    AdmissionLimits limits = admission.limits();
    limit(admission, "max_connections", limits.maxConnections());
    limit(admission, "max_connections_per_ip", limits.maxConnectionsPerAddress());
    limit(admission, "accept_rate_per_ip", limits.acceptRatePerAddress());
    limit(admission, "login_rate_per_ip", limits.loginRatePerAddress());
    limit(admission, "login_rate_per_uid", limits.loginRatePerUid());
    limit(admission, "login_failures_before_ban", limits.failuresBeforeBan());
    limit(admission, "login_ban_seconds", limits.banMs() / 1000);
  }

  private Counter refusal(String name, String what, Verdict verdict) {
    return Counter.builder(name)
        .description(what + " refused by admission control, by reason")
        .tag("reason", verdict.reason())
        .register(registry);
  }

  private void tracked(Admission admission, String table, ToDoubleFunction<Admission> size) {
    Gauge.builder("courier.gate.admission.tracked", admission, size)
        .description("entries in admission control's tables")
        .tag("table", table)
        .register(registry);
  }

  private void limit(Admission admission, String name, long value) {
    Gauge.builder("courier.gate.admission.limit", admission, a -> value)
        .description("configured admission limits")
        .tag("limit", name)
        .register(registry);
  }
}
