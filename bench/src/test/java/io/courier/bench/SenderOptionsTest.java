package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench s2c --sender} and the cluster options that go with it. */
class SenderOptionsTest {

  @Test
  void theBridgeIsTheDefaultSenderAndItsReportShowsNoClusterOptions() throws Exception {
    BenchOptions options = BenchOptions.parse(Scenario.S2C);
    assertEquals(SenderKind.BRIDGE, SenderKind.of(options.string(BenchOption.SENDER)));
    assertEquals("bridge", options.toJson().getString("sender"));
    assertFalse(options.toJson().containsKey("cluster-members"), options.toJson().encode());
  }

  @Test
  void readsTheClusterSenderAndWhereToJoin() throws Exception {
    BenchOptions options =
        BenchOptions.parse(
            Scenario.S2C,
            "--sender",
            "cluster",
            "--cluster-name",
            "bench-cluster",
            "--cluster-members",
            "127.0.0.1:5801,127.0.0.2:5811",
            "--cluster-port",
            "5802");
    ClusterMember.Settings settings = ClusterMember.Settings.of(options);
    assertEquals(
        new ClusterMember.Settings(
            "bench-cluster", List.of("127.0.0.1:5801", "127.0.0.2:5811"), "127.0.0.1", 5802),
        settings);
    assertEquals("127.0.0.1:5801,127.0.0.2:5811", options.toJson().getString("cluster-members"));
    assertEquals(5802, options.toJson().getLong("cluster-port"));
  }

  @Test
  void theClusterDefaultsAreThoseOfANodeOnThisMachine() throws Exception {
    ClusterMember.Settings settings =
        ClusterMember.Settings.of(BenchOptions.parse(Scenario.S2C, "--sender=cluster"));
    assertEquals(
        new ClusterMember.Settings("courier", List.of("127.0.0.1:5701"), "127.0.0.1", 5702),
        settings);
  }

  @Test
  void refusesAnUnknownSender() {
    BenchOptions.UsageException refused =
        assertThrows(
            BenchOptions.UsageException.class,
            () -> BenchOptions.parse(Scenario.S2C, "--sender", "jvm"));
    assertTrue(refused.getMessage().contains("bridge or cluster"), refused.getMessage());
  }

  @Test
  void refusesClusterOptionsWithoutTheClusterSender() {
    for (String option :
        List.of(
            "--cluster-name=x",
            "--cluster-members=127.0.0.1:5801",
            "--cluster-host=127.0.0.1",
            "--cluster-port=5802")) {
      BenchOptions.UsageException refused =
          assertThrows(
              BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.S2C, option));
      assertTrue(refused.getMessage().contains("only with --sender cluster"), refused.getMessage());
      assertThrows(
          BenchOptions.UsageException.class,
          () -> BenchOptions.parse(Scenario.S2C, "--sender", "bridge", option));
    }
  }

  @Test
  void refusesMembersThatAreNotLoopbackHostAndPort() {
    for (String members :
        List.of(
            "",
            "127.0.0.1",
            "127.0.0.1:0",
            "127.0.0.1:65536",
            "127.0.0.1:x",
            "10.0.0.5:5701",
            "node1:5701",
            "127.0.0.1:5701,")) {
      assertThrows(
          BenchOptions.UsageException.class,
          () ->
              BenchOptions.parse(Scenario.S2C, "--sender", "cluster", "--cluster-members", members),
          members);
    }
    assertThrows(
        BenchOptions.UsageException.class,
        () ->
            BenchOptions.parse(
                Scenario.S2C, "--sender", "cluster", "--cluster-host", "192.168.1.2"));
    assertThrows(
        BenchOptions.UsageException.class,
        () ->
            BenchOptions.parse(Scenario.S2C, "--sender", "cluster", "--cluster-name", "two words"));
  }

  @Test
  void refusesToJoinOnTheAddressOfAMember() {
    BenchOptions.UsageException refused =
        assertThrows(
            BenchOptions.UsageException.class,
            () ->
                BenchOptions.parse(
                    Scenario.S2C,
                    "--sender",
                    "cluster",
                    "--cluster-members",
                    "127.0.0.1:5801",
                    "--cluster-port",
                    "5801"));
    assertTrue(refused.getMessage().contains("a port of its own"), refused.getMessage());
  }

  @Test
  void onlyS2cHasASender() {
    for (Scenario scenario : Scenario.values()) {
      assertEquals(
          scenario == Scenario.S2C, scenario.accepts(BenchOption.SENDER), scenario.scenarioName());
    }
  }

  @Test
  void theHelpExplainsHowToRunTheClusterSender() {
    String help = BenchOptions.help(Scenario.S2C);
    assertTrue(help.contains("--sender bridge|cluster"), help);
    assertTrue(help.contains("java -jar courier.jar -cluster"), help);
    assertTrue(help.contains("COURIER_STORE=mysql"), help);
  }
}
