package io.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin listener's keys and the msgtypes counted apart ({@code ops.metricMsgtypes}). */
class ObservabilityConfigTest {

  @Test
  void theAdminListenerIsOnLoopbackByDefaultAndNoMsgtypeIsCountedApart() {
    CourierConfig config = CourierConfig.from(null, Map.of());

    assertEquals("127.0.0.1", config.adminHost());
    assertEquals(8090, config.adminPort());
    assertEquals(Map.of(), config.metricMsgtypes().byAppcode());
  }

  @Test
  void metricMsgtypesFromTheEnvironmentAreAppcodeListsSeparatedBySemicolons() {
    CourierConfig config =
        CourierConfig.from(
            null,
            Map.of(
                "COURIER_METRIC_MSGTYPES", " 101=9,1, 2 ;201=1;",
                "COURIER_ADMIN_HOST", "10.0.0.5",
                "COURIER_APPS",
                    "101=" + CourierConfigTest.SECRET_ONE + ",201=" + CourierConfigTest.SECRET_TWO,
                "COURIER_ADMIN_PORT", "9191"));

    assertEquals(Set.of(1, 2, 9), config.metricMsgtypes().of(101));
    assertEquals(List.of(1, 2, 9), List.copyOf(config.metricMsgtypes().of(101)));
    assertEquals(Set.of(1), config.metricMsgtypes().of(201));
    assertEquals(Set.of(), config.metricMsgtypes().of(301));
    assertEquals("10.0.0.5", config.adminHost());
    assertEquals(9191, config.adminPort());
    assertEquals(
        new JsonObject()
            .put("101", new JsonArray(List.of(1, 2, 9)))
            .put("201", new JsonArray(List.of(1))),
        config.toJson().getJsonObject("ops").getJsonObject("metricMsgtypes"));
    assertEquals(config.toJson(), CourierConfig.from(config.toJson()).toJson());
  }

  @Test
  void badMetricMsgtypesAreRefusedWithTheirKey() {
    assertEquals(
        "invalid configuration: ops.metricMsgtypes.101 (environment COURIER_METRIC_MSGTYPES) must"
            + " hold msgtypes (integers 0..65535), got \"65536\"",
        refused(Map.of("COURIER_METRIC_MSGTYPES", "101=1,65536")));
    assertEquals(
        "invalid configuration: ops.metricMsgtypes (environment COURIER_METRIC_MSGTYPES) must be"
            + " appcode=msgtype,msgtype...[;appcode=...], got an entry without '='",
        refused(Map.of("COURIER_METRIC_MSGTYPES", "101,1")));
    assertEquals(
        "invalid configuration: ops.metricMsgtypes.999 (environment COURIER_METRIC_MSGTYPES) is not"
            + " an appcode of apps",
        refused(Map.of("COURIER_METRIC_MSGTYPES", "999=1")));
    assertEquals(
        "invalid configuration: ops.metricMsgtypes.101 (environment COURIER_METRIC_MSGTYPES) must"
            + " be a list of msgtypes",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject()
                            .put(
                                "ops",
                                new JsonObject()
                                    .put("metricMsgtypes", new JsonObject().put("101", 7)))))
            .getMessage());
  }

  @Test
  void theFormerOpsPortIsAnUnknownKey() {
    assertEquals(
        "invalid configuration: unknown key ops.port",
        assertThrows(
                ConfigException.class,
                () ->
                    CourierConfig.from(
                        new JsonObject().put("ops", new JsonObject().put("port", 9090))))
            .getMessage());
  }

  private static String refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> CourierConfig.from(null, env)).getMessage();
  }
}
