package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProbeStatsTest {

  @Test
  void reportsLoginSuccessAndPingLatencyPerPhase() throws Exception {
    Probe.Stats calm = new Probe.Stats();
    for (int i = 0; i < 4; i++) {
      calm.loginAttempts.increment();
    }
    for (int i = 0; i < 3; i++) {
      calm.loginOk.increment();
    }
    calm.loginFailures.count("login code 429");
    for (int ms = 1; ms <= 100; ms++) {
      calm.pingLatency.recordMicros(ms * 1000L);
    }
    Probe.Stats during = new Probe.Stats();

    Report report =
        new Report(Scenario.ATTACK, BenchOptions.parse(Scenario.ATTACK, "--kind", "frame-flood"));
    calm.report(report, "probe_baseline", "Probe without the attack");
    during.report(report, "probe_attack", "Probe during the attack");
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    report.print(
        new PrintStream(summary, true, StandardCharsets.UTF_8),
        new PrintStream(json, true, StandardCharsets.UTF_8),
        true);

    JsonObject results =
        new JsonObject(json.toString(StandardCharsets.UTF_8)).getJsonObject("results");
    JsonObject baseline = results.getJsonObject("probe_baseline");
    assertEquals(4, baseline.getLong("login_attempts"));
    assertEquals(75.0, baseline.getDouble("login_success_percent"));
    assertEquals(1, baseline.getJsonObject("login_failures").getLong("login code 429"));
    assertEquals(99.0, baseline.getJsonObject("ping_latency").getDouble("p99_ms"), 0.1);
    JsonObject attack = results.getJsonObject("probe_attack");
    assertNull(attack.getValue("login_success_percent"));
    assertEquals(0, attack.getJsonObject("ping_latency").getLong("count"));
    String text = summary.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("75.0%  (3 of 4)"), text);
    assertTrue(text.contains("Probe during the attack"), text);
  }
}
