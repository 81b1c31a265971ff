package io.courier.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command's answers that need no node and no Vert.x: help and refusals. */
class BenchCommandTest {

  @Test
  void printsHelp() {
    Result general = run("--help");
    assertEquals(0, general.exit);
    assertTrue(general.out.contains("scenarios:"), general.out);
    Result s2c = run("s2c", "--help");
    assertEquals(0, s2c.exit);
    assertTrue(s2c.out.contains("--with-baseline"), s2c.out);
  }

  @Test
  void refusesAnUnknownScenario() {
    Result result = run("flood");
    assertEquals(2, result.exit);
    assertTrue(result.err.contains("unknown scenario 'flood'"), result.err);
  }

  @Test
  void refusesMoreThanNineteenThousandConnectionsBeforeOpeningAny() {
    Result result = run("conn", "--connections", "20000");
    assertEquals(2, result.exit);
    assertTrue(result.err.contains("several bench processes"), result.err);
  }

  @Test
  void refusesAGroupLayoutItCannotRunBeforeOpeningAny() {
    Result result = run("group", "--members", "3", "--senders-per-group", "4");
    assertEquals(2, result.exit);
    assertTrue(result.err.contains("--senders-per-group must be 1-3"), result.err);
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        BenchCommand.run(
            args, Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Result(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  private record Result(int exit, String out, String err) {}
}
