package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTextTest {
  private static final String SCRAPE =
      String.join(
          "\n",
          "# HELP courier_gate_cut_total connections closed by a limit",
          "# TYPE courier_gate_cut_total counter",
          "courier_gate_cut_total{limit=\"frame_rate\"} 2.0",
          "courier_gate_cut_total{limit=\"pending_bytes\"} 1.0",
          "courier_gate_cut_total{limit=\"write_stall\"} 0.0",
          "courier_gate_cut_total_extra 5.0",
          "courier_delivery_total{appcode=\"101\",msgtype=\"other\",outcome=\"accepted\"} 10000.0",
          "courier_delivery_total{appcode=\"101\",msgtype=\"1\",outcome=\"accepted\"} 1.0",
          "process_uptime_seconds 12.5",
          "");

  @Test
  void countsSampleLinesNotComments() {
    MetricsText metrics = new MetricsText(SCRAPE);
    assertEquals(7, metrics.series());
    assertEquals(3, metrics.series("courier_gate_cut_total"));
    assertEquals(2, metrics.series("courier_delivery_total"));
    assertEquals(1, metrics.series("process_uptime_seconds"));
    assertEquals(0, metrics.series("courier_gate"));
  }

  @Test
  void sumsTheSamplesWithALabel() {
    MetricsText metrics = new MetricsText(SCRAPE);
    assertEquals(1.0, metrics.sum("courier_gate_cut_total", "limit", "pending_bytes"));
    assertEquals(3.0, metrics.sum("courier_gate_cut_total", null, null));
    assertEquals(10_000.0, metrics.sum("courier_delivery_total", "msgtype", "other"));
    assertEquals(0.0, metrics.sum("courier_gate_cut_total", "limit", "inflight"));
    assertEquals(0.0, metrics.sum("courier_absent_total", null, null));
  }

  @Test
  void namesTheMetricsThatGainedSeries() {
    MetricsText before = new MetricsText(SCRAPE);
    MetricsText after =
        new MetricsText(
            SCRAPE
                + "courier_delivery_total{appcode=\"101\",msgtype=\"other\",outcome=\"pushed\"} 1.0\n"
                + "courier_new_seconds_bucket{le=\"0.1\"} 1.0\n"
                + "courier_new_seconds_bucket{le=\"+Inf\"} 1.0\n");
    assertEquals(
        java.util.Map.of("courier_delivery_total", 1, "courier_new_seconds_bucket", 2),
        before.addedIn(after));
    assertEquals(java.util.Map.of(), after.addedIn(before));
  }
}
