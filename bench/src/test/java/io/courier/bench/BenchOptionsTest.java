package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void appliesTheScenarioDefaults() throws Exception {
    BenchOptions s2c = BenchOptions.parse(Scenario.S2C);
    assertEquals(201, s2c.integer(BenchOption.APPCODE));
    assertEquals(256, s2c.integer(BenchOption.WINDOW));
    assertEquals(9000, s2c.integer(BenchOption.GATE_PORT));
    assertFalse(s2c.flag(BenchOption.WITH_BASELINE));
    assertEquals(8, BenchOptions.parse(Scenario.C2C).integer(BenchOption.WINDOW));
    assertFalse(s2c.has(BenchOption.SERVER_PID));
  }

  @Test
  void benchesAgainstANodeRunOneEventLoopPerCoreAndTheBaselineTwo() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    for (Scenario scenario : Scenario.values()) {
      if (scenario == Scenario.FUZZ) {
        continue; // runs no Vert.x
      }
      String[] required =
          scenario == Scenario.ATTACK ? new String[] {"--kind", "frame-flood"} : new String[0];
      assertEquals(
          scenario == Scenario.BASELINE ? 2 * cores : cores,
          BenchOptions.parse(scenario, required).integer(BenchOption.EVENT_LOOPS),
          scenario.scenarioName());
    }
  }

  @Test
  void readsBothSpellingsAndFlags() throws Exception {
    BenchOptions options =
        BenchOptions.parse(
            Scenario.S2C, "--receivers", "50", "--qos=0", "--with-baseline", "--json");
    assertEquals(50, options.integer(BenchOption.RECEIVERS));
    assertEquals(0, options.integer(BenchOption.QOS));
    assertTrue(options.flag(BenchOption.WITH_BASELINE));
    assertTrue(options.flag(BenchOption.JSON));
    assertFalse(options.toJson().containsKey("json"));
  }

  @Test
  void s2cReachesATlsGateWithTheSystemTrustOrACaFile() throws Exception {
    assertTrue(BenchOptions.parse(Scenario.S2C, "--tls").flag(BenchOption.TLS));
    Path ca = Files.createTempFile("bench-ca", ".pem");
    try {
      assertEquals(
          ca.toString(),
          BenchOptions.parse(Scenario.S2C, "--ca", ca.toString()).string(BenchOption.CA));
    } finally {
      Files.delete(ca);
    }
    assertEquals(
        "--ca " + ca + ": no readable file",
        assertThrows(
                BenchOptions.UsageException.class,
                () -> BenchOptions.parse(Scenario.S2C, "--ca", ca.toString()))
            .getMessage());
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.CONN, "--tls"));
  }

  @Test
  void refusesMoreConnectionsThanOneProcessMayHold() {
    BenchOptions.UsageException refused =
        assertThrows(
            BenchOptions.UsageException.class,
            () -> BenchOptions.parse(Scenario.CONN, "--connections", "19001"));
    assertTrue(refused.getMessage().contains("1-19,000"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--uid-offset"), refused.getMessage());
  }

  @Test
  void refusesWhatTheScenarioDoesNotTake() {
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.CONN, "--qos", "1"));
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.S2C, "--qos", "2"));
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.S2C, "--qos"));
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.S2C, "--json=yes"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.S2C, "--duration", "ten"));
    assertThrows(
        BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.S2C, "receivers"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.S2C, "--duration", "1", "--duration", "2"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.PULL, "--limit", "201"));
  }

  @Test
  void targetsOnlyLoopback() throws Exception {
    assertEquals("127.0.0.1", BenchOptions.parse(Scenario.C2S).string(BenchOption.HOST));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.C2S, "--host", "192.168.1.10"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.CONN, "--source-base", "example.com"));
  }

  @Test
  void everyScenarioHasHelpThatListsItsOptions() {
    for (Scenario scenario : Scenario.values()) {
      String help = BenchOptions.help(scenario);
      for (BenchOption option : scenario.options()) {
        assertTrue(
            help.contains("--" + option.optionName()),
            scenario + " help lacks --" + option.optionName());
      }
    }
    String general = BenchOptions.generalHelp();
    for (Scenario scenario : Scenario.values()) {
      assertTrue(general.contains(scenario.scenarioName()));
    }
    assertTrue(general.contains("several bench processes"));
    assertTrue(general.contains("--uid-offset"));
    assertTrue(BenchOptions.help(Scenario.CONN).contains("several processes"));
  }
}
