package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttackOptionsTest {

  @Test
  void theKindIsRequiredAndNamesTheKinds() {
    BenchOptions.UsageException missing =
        assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(Scenario.ATTACK));
    assertTrue(missing.getMessage().contains("--kind is required"), missing.getMessage());
    for (AttackKind kind : AttackKind.values()) {
      assertTrue(missing.getMessage().contains(kind.optionValue()), missing.getMessage());
    }
    BenchOptions.UsageException unknown =
        assertThrows(
            BenchOptions.UsageException.class,
            () -> BenchOptions.parse(Scenario.ATTACK, "--kind", "smurf"));
    assertTrue(unknown.getMessage().contains("--kind: unknown kind 'smurf'"), unknown.getMessage());
  }

  @Test
  void everyKindIsAcceptedByItsName() throws Exception {
    for (AttackKind kind : AttackKind.values()) {
      BenchOptions options = BenchOptions.parse(Scenario.ATTACK, "--kind=" + kind.optionValue());
      assertEquals(kind, AttackKind.of(options.string(BenchOption.KIND)));
    }
  }

  @Test
  void attackersAndMessagesDefaultToTheKinds() throws Exception {
    BenchOptions neverLogin = BenchOptions.parse(Scenario.ATTACK, "--kind", "never-login");
    assertFalse(neverLogin.has(BenchOption.ATTACKERS));
    assertEquals(5_000, AttackBench.attackers(neverLogin, AttackKind.NEVER_LOGIN));
    BenchOptions spray = BenchOptions.parse(Scenario.ATTACK, "--kind", "msgtype-spray");
    assertEquals(10_000, AttackBench.messages(spray, AttackKind.MSGTYPE_SPRAY));
    assertEquals(20, AttackBench.attackers(spray, AttackKind.MSGTYPE_SPRAY));
    BenchOptions given =
        BenchOptions.parse(
            Scenario.ATTACK, "--kind", "slow-reader", "--attackers", "3", "--messages", "7");
    assertEquals(3, AttackBench.attackers(given, AttackKind.SLOW_READER));
    assertEquals(7, AttackBench.messages(given, AttackKind.SLOW_READER));
  }

  @Test
  void theAttackHasItsOwnDefaults() throws Exception {
    BenchOptions options = BenchOptions.parse(Scenario.ATTACK, "--kind", "never-login");
    assertEquals(20, options.integer(BenchOption.DURATION));
    assertEquals(5, options.integer(BenchOption.CALM));
    assertEquals(2_500, options.integer(BenchOption.PER_SOURCE));
    assertEquals(8090, options.integer(BenchOption.ADMIN_PORT));
    assertEquals("127.0.1.1", options.string(BenchOption.PROBE_SOURCE));
    assertEquals(10_000, options.integer(BenchOption.CONTENT_BYTES));
  }

  @Test
  void theProbeMustNotShareAnAddressWithTheAttack() throws Exception {
    BenchOptions.UsageException sameAsFlood =
        assertThrows(
            BenchOptions.UsageException.class,
            () ->
                BenchOptions.parse(
                    Scenario.ATTACK, "--kind", "conn-flood", "--probe-source", "127.0.0.2"));
    assertTrue(sameAsFlood.getMessage().contains("--probe-source 127.0.0.2"));
    // 5,000 never-login connections at 2,500 per address take 127.0.0.2 and 127.0.0.3
    assertThrows(
        BenchOptions.UsageException.class,
        () ->
            BenchOptions.parse(
                Scenario.ATTACK, "--kind", "never-login", "--probe-source", "127.0.0.3"));
    BenchOptions.parse(Scenario.ATTACK, "--kind", "never-login", "--probe-source", "127.0.0.4");
    assertThrows(
        BenchOptions.UsageException.class,
        () ->
            BenchOptions.parse(
                Scenario.ATTACK, "--kind", "frame-flood", "--probe-source", "10.0.0.1"));
  }

  @Test
  void optionsOfOtherScenariosAreRefused() {
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.ATTACK, "--kind", "frame-flood", "--target", "body"));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(Scenario.CONN, "--kind", "frame-flood"));
  }

  @Test
  void theHelpDescribesEveryKind() {
    String help = BenchOptions.help(Scenario.ATTACK);
    for (AttackKind kind : AttackKind.values()) {
      assertTrue(help.contains(kind.optionValue()), kind.optionValue());
    }
    assertTrue(BenchOptions.generalHelp().contains("attack"));
  }
}
