package io.courier.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command line answers before any connection is made: help, usage errors, exit codes. */
class CourierCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CourierCli.run(
        args, Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
  }

  private String out() {
    return out.toString(UTF_8);
  }

  private String err() {
    return err.toString(UTF_8);
  }

  @Test
  void helpListsTheCommandsOnStdout() {
    assertEquals(0, run("--help"));
    assertTrue(out().startsWith("usage: courier-cli <command> [options]"), out());
    assertTrue(out().contains("listen") && out().contains("send") && out().contains("s2c"));
    assertEquals("", err());
  }

  @Test
  void eachCommandHasItsHelp() {
    assertEquals(0, run("listen", "--help"));
    assertEquals(0, run("send", "-h"));
    assertEquals(0, run("s2c", "--help"));
    assertTrue(out().contains("usage: courier-cli listen"), out());
    assertTrue(out().contains("usage: courier-cli send"), out());
    assertTrue(out().contains("usage: courier-cli s2c"), out());
    assertEquals("", err());
  }

  @Test
  void noCommandIsBadUsage() {
    assertEquals(2, run());
    assertTrue(err().startsWith("usage: courier-cli"), err());
    assertEquals("", out());
  }

  @Test
  void unknownCommandIsBadUsage() {
    assertEquals(2, run("publish"));
    assertTrue(err().startsWith("courier-cli: unknown command 'publish'\nusage:"), err());
  }

  @Test
  void badOptionsAreReportedWithTheCommandsUsage() {
    assertEquals(2, run("listen", "--uid", "bob", "--appcode", "101"));
    assertTrue(
        err()
            .startsWith(
                "courier-cli: --token (or COURIER_TOKEN in the environment) is required\n"
                    + "usage: courier-cli listen"),
        err());
    assertEquals("", out());
  }

  @Test
  void badS2cOptionIsBadUsage() {
    assertEquals(2, run("s2c", "--to", "bob", "--to-appcode", "101", "--text", "x", "--qos", "5"));
    assertTrue(
        err()
            .startsWith(
                "courier-cli: --qos must be an integer 0-1, got \"5\"\nusage: courier-cli s2c"),
        err());
  }

  @Test
  void sendWithoutReceiverIsBadUsage() {
    assertEquals(
        2, run("send", "--uid", "alice", "--appcode", "101", "--token", "T", "--text", "hi"));
    assertTrue(err().startsWith("courier-cli: --to is required\n"), err());
  }
}
