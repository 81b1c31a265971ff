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
 */
final class GateMetrics {
  private final MeterRegistry registry;
  private final Map<Command, Counter> frames = new EnumMap<>(Command.class);
  private final Counter pushAcks;
  private final Counter unknownFrames;
  private final Map<Code, Counter> logins = new ConcurrentHashMap<>();

  GateMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Command command : Command.values()) {
      if (command.direction() == Command.Direction.CLIENT) {
        frames.put(command, frameCounter(command.name()));
      }
    }
    pushAcks = frameCounter("PUSH_ACK");
    unknownFrames = frameCounter("unknown");
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
