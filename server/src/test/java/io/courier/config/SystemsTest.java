package io.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code routing.systems}: parsing, refusals, the default and the configured apps. */
class SystemsTest {

  @Test
  void theDefaultGroupsTheDevelopmentUserAppsAndLeavesTheOthersAlone() {
    Systems systems = CourierConfig.from(new JsonObject(), Map.of()).systems();
    assertEquals(Set.of(101, 102, 103), systems.of(102));
    assertTrue(systems.shared(101));
    assertFalse(systems.shared(201));
    assertFalse(systems.shared(301));
    assertEquals(Set.of(999), systems.of(999), "an appcode in no system is one of its own");
  }

  @Test
  void theEnvironmentFormNamesSystemsAndTheirAppcodes() {
    CourierConfig config =
        CourierConfig.from(
            new JsonObject(),
            Map.of(
                "COURIER_APPS",
                "7=" + "s".repeat(32) + ",8=" + "t".repeat(32) + ",9=" + "u".repeat(32),
                "COURIER_SYSTEMS",
                "shop=7, 8; desk=9"));
    assertEquals(Set.of(7, 8), config.systems().of(8));
    assertFalse(config.systems().shared(9));
  }

  @Test
  void appcodesThatAreNoConfiguredAppLeaveTheirSystem() {
    CourierConfig config =
        CourierConfig.from(new JsonObject(), Map.of("COURIER_APPS", "101=" + "s".repeat(32)));
    assertFalse(config.systems().shared(101), "102 and 103 are no apps here");
  }

  @Test
  void anAppcodeInTwoSystemsIsRefused() {
    JsonObject json =
        new JsonObject()
            .put(
                "routing",
                new JsonObject()
                    .put(
                        "systems",
                        new JsonObject()
                            .put("a", new JsonArray(List.of(101, 102)))
                            .put("b", new JsonArray(List.of(102)))));
    ConfigException refused =
        assertThrows(ConfigException.class, () -> CourierConfig.from(json, Map.of()));
    assertTrue(refused.getMessage().contains("routing.systems.b"), refused.getMessage());
  }

  @Test
  void anEmptySystemOrABadAppcodeIsRefused() {
    for (Object bad : List.of(new JsonArray(), new JsonArray(List.of("x")), "101")) {
      JsonObject json =
          new JsonObject()
              .put("routing", new JsonObject().put("systems", new JsonObject().put("a", bad)));
      assertThrows(ConfigException.class, () -> CourierConfig.from(json, Map.of()), "" + bad);
    }
  }
}
