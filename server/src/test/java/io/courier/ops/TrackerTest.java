package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.courier.config.MetricMsgtypes;
import io.courier.contract.Receipts;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What the tracker counts a message under: the series and arrival keys stay bounded. */
class TrackerTest {
  private static final long NOW = 1_795_848_630_000L;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ArrivalStats arrivals = new ArrivalStats();
  private final Tracker tracker =
      new Tracker(
          "node-1",
          registry,
          new TraceStore(16, 60_000),
          arrivals,
          new DeliveryLabels(Set.of(101, 201), new MetricMsgtypes(Map.of(201, Set.of(7)))),
          new Receipts(null),
          NotifiedMarks.inMemory(),
          () -> NOW);

  @Test
  void tenThousandDistinctMsgtypesAddOneSeries() {
    tracker.accepted(message(201, 7), 1);
    int before = registry.getMeters().size();

    for (int msgtype = 100; msgtype < 10_100; msgtype++) {
      tracker.accepted(message(201, msgtype), 1);
    }

    assertEquals(
        before + 2,
        registry.getMeters().size(),
        "one series of msgtype other per meter: delivery, and reach (qos 1 is due)");
    assertEquals(Set.of("7", "other"), deliveryTags("msgtype"));
    assertEquals(
        10_000.0,
        registry
            .get("courier.delivery")
            .tags("appcode", "201", "msgtype", "other", "outcome", "accepted")
            .counter()
            .count());
  }

  @Test
  void theArrivalCountsHaveTheSameKeysAsTheMetrics() {
    tracker.accepted(message(201, 7), 1);
    tracker.accepted(message(201, 8), 1);
    tracker.accepted(message(201, 9), 1);
    tracker.accepted(message(101, 7), 1);

    assertEquals(1L, arrivals.sum("201", "7", 60, NOW).getLong("accepted"));
    assertEquals(2L, arrivals.sum("201", "other", 60, NOW).getLong("accepted"));
    assertEquals(1L, arrivals.sum("101", "other", 60, NOW).getLong("accepted"));
    assertNull(arrivals.sum("201", "8", 60, NOW).getLong("accepted"), "8 is counted as other");
    assertEquals(4L, arrivals.sum(null, null, 60, NOW).getLong("accepted"));
  }

  @Test
  void anAppcodeOutsideTheConfigurationIsCountedAsOther() {
    for (int appcode = 1000; appcode < 1100; appcode++) {
      tracker.accepted(message(appcode, appcode), 1);
    }

    assertEquals(Set.of("other"), deliveryTags("appcode"));
    assertEquals(Set.of("other"), deliveryTags("msgtype"));
  }

  private Set<String> deliveryTags(String tag) {
    Set<String> values = new TreeSet<>();
    for (Meter meter : registry.find("courier.delivery").meters()) {
      values.add(meter.getId().getTag(tag));
    }
    return values;
  }

  private static Message message(int toAppcode, int msgtype) {
    return new Message(
        42L, Kind.C2C, "alice", 101, "bob", toAppcode, msgtype, "hi", NOW, "logid-" + msgtype);
  }
}
