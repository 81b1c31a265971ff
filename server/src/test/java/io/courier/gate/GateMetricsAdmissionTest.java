package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.gate.Admission.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** What an operator sees of admission control in the metrics. */
class GateMetricsAdmissionTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GateMetrics metrics = new GateMetrics(registry);

  @Test
  void refusalsAreCountedByReasonAndEveryReasonIsVisibleBeforeItsFirstRefusal() {
    assertEquals(0, count("courier.gate.refused", "address_full"));
    assertEquals(0, count("courier.gate.login.refused", "login_rate_uid"));

    metrics.connectionRefused(Verdict.ADDRESS_FULL);
    metrics.connectionRefused(Verdict.ADDRESS_FULL);
    metrics.connectionRefused(Verdict.NODE_FULL);
    metrics.loginRefused(Verdict.BANNED);
    metrics.banned();

    assertEquals(2, count("courier.gate.refused", "address_full"));
    assertEquals(1, count("courier.gate.refused", "node_full"));
    assertEquals(1, count("courier.gate.login.refused", "banned"));
    assertEquals(1, registry.get("courier.gate.bans").counter().count());
  }

  @Test
  void theLimitsAndTheTableSizesAreGauges() {
    Admission admission =
        new Admission(new AdmissionLimits(100, 7, 50, 40, 5, 20, 60_000, 30_000), () -> 0L);
    metrics.watch(admission);
    new GateMetrics(registry).watch(admission);
    admission.admit("10.0.0.1");

    assertEquals(7, gauge("courier.gate.admission.limit", "limit", "max_connections_per_ip"));
    assertEquals(60, gauge("courier.gate.admission.limit", "limit", "login_ban_seconds"));
    assertEquals(1, gauge("courier.gate.admission.tracked", "table", "addresses"));
  }

  private double count(String name, String reason) {
    return registry.get(name).tag("reason", reason).counter().count();
  }

  private double gauge(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).gauge().value();
  }
}
