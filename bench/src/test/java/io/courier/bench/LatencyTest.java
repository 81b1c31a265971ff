package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void summarisesPercentilesInMilliseconds() {
    Latency latency = new Latency();
    for (int ms = 1; ms <= 1_000; ms++) {
      latency.recordMicros(ms * 1_000L);
    }
    Latency.Summary summary = latency.summary();
    assertEquals(1_000, summary.count());
    // HdrHistogram with 3 significant digits: within 0.1 %
    assertEquals(500, summary.p50(), 0.5);
    assertEquals(990, summary.p99(), 1.0);
    assertEquals(999, summary.p999(), 1.0);
    assertEquals(1_000, summary.max(), 1.0);
    assertEquals(500.5, summary.mean(), 0.5);
  }

  @Test
  void anEmptyDistributionIsZeroAndSaysSo() {
    Latency.Summary summary = new Latency().summary();
    assertEquals(0, summary.count());
    assertEquals(0, summary.p99());
    assertEquals("n/a (n=0)", summary.text());
  }

  @Test
  void clampsNegativeAndHugeValues() {
    Latency latency = new Latency();
    latency.recordNanos(-5_000);
    latency.recordMicros(Long.MAX_VALUE);
    Latency.Summary summary = latency.summary();
    assertEquals(2, summary.count());
    assertEquals(0, summary.p50(), 0.001);
    assertEquals(Latency.MAX_MICROS / 1000.0, summary.max(), Latency.MAX_MICROS / 1000.0 * 0.001);
  }

  @Test
  void recordsFromManyThreads() throws InterruptedException {
    Latency latency = new Latency();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(() -> IntStream.range(0, 10_000).forEach(i -> latency.recordMicros(100)));
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(40_000, latency.count());
    assertEquals(0.1, latency.summary().p999(), 0.001);
  }

  @Test
  void jsonCarriesTheSameFigures() {
    Latency latency = new Latency();
    latency.recordMicros(2_500);
    var json = latency.summary().toJson();
    assertEquals(1L, json.getLong("count"));
    assertEquals(2.5, json.getDouble("p99_ms"), 0.01);
    assertTrue(latency.summary().text().startsWith("p50 2.50 ms"), latency.summary().text());
  }
}
