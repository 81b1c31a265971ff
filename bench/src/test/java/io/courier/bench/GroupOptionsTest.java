package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench group}: its defaults and the layouts refused before any connection. */
class GroupOptionsTest {

  @Test
  void oneGroupOfFiftyWithOneSenderAtTheC2cWindow() throws Exception {
    BenchOptions options = BenchOptions.parse(Scenario.GROUP);
    assertEquals(1, options.integer(BenchOption.GROUPS));
    assertEquals(50, options.integer(BenchOption.MEMBERS));
    assertEquals(1, options.integer(BenchOption.SENDERS_PER_GROUP));
    assertEquals(8, options.integer(BenchOption.WINDOW));
    assertEquals(101, options.integer(BenchOption.APPCODE));
    assertEquals(7000, options.integer(BenchOption.BRIDGE_PORT));
  }

  @Test
  void refusesMoreSendersThanMembersAndMoreMembersThanOneProcessHolds() {
    String senders =
        assertThrows(
                BenchOptions.UsageException.class,
                () ->
                    BenchOptions.parse(Scenario.GROUP, "--members", "10", "--senders-per-group=11"))
            .getMessage();
    assertEquals("--senders-per-group must be 1-10 (--members), got 11", senders);
    String connections =
        assertThrows(
                BenchOptions.UsageException.class,
                () -> BenchOptions.parse(Scenario.GROUP, "--groups", "40", "--members", "500"))
            .getMessage();
    assertTrue(connections.contains("20,000 connections"), connections);
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.GROUP, "--members", "1"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.GROUP, "--pairs", "10"));
  }

  @Test
  void itsHelpSaysWhoSendsAndWhatIsChecked() {
    String help = BenchOptions.help(Scenario.GROUP);
    assertTrue(help.contains("courier.group.create"), help);
    assertTrue(help.contains("--senders-per-group N"), help);
    assertTrue(help.contains("[50]"), help);
    assertTrue(help.contains("COURIER_GROUP_MAX_MEMBERS"), help);
  }
}
