package io.courier.gate;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate's meters: {@code courier_frames_total{cmd}} for every frame a client sent (cmd is the
 * command's name, {@code PUSH_ACK}, or {@code unknown}) and {@code courier_logins_total{result}}
 * ({@code ok} or the refusal code). The connection count is a gauge registered with the node's
 * sessions.
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

  private Counter frameCounter(String cmd) {
    return Counter.builder("courier.frames")
        .description("frames received from clients")
        .tag("cmd", cmd)
        .register(registry);
  }
}
