package io.courier.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bench fuzz}: the command, and the run loop with a fuzzer made to break. */
class FuzzBenchTest {

  /** Inputs are 4 random bytes; the property breaks on the {@code breakAt}-th input. */
  private static final class BreaksAt implements Fuzzer<byte[]> {
    final List<String> seen = new ArrayList<>();
    private final int breakAt;

    BreaksAt(int breakAt) {
      this.breakAt = breakAt;
    }

    @Override
    public byte[] next(Random random, int size) {
      byte[] bytes = new byte[4];
      random.nextBytes(bytes);
      return bytes;
    }

    @Override
    public void check(byte[] input) {
      seen.add(HexFormat.of().formatHex(input));
      Fuzzer.require(seen.size() < breakAt, () -> "input number " + seen.size());
    }

    @Override
    public byte[] bytes(byte[] input) {
      return input;
    }

    @Override
    public String detail(byte[] input) {
      return "";
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"decoder", "body", "richtext"})
  void eachTargetRunsForTheGivenSecondsAndReportsWhatItChecked(String target) {
    Result result = run("fuzz", "--target", target, "--seconds", "1", "--seed", "7", "--json");

    assertEquals(0, result.exit, result.err);
    JsonObject fuzz = new JsonObject(result.out.strip()).getJsonObject("results");
    assertEquals(7L, fuzz.getJsonObject("fuzz").getLong("seed"));
    assertTrue(fuzz.getJsonObject("fuzz").getJsonObject("inputs").getLong("count") > 0, result.out);
    assertNull(fuzz.getJsonObject("fuzz").getValue("broken_by"));
  }

  @Test
  void theFirstInputThatBreaksAPropertyEndsTheRunAndIsPrintedInHexWithTheSeed() {
    BreaksAt fuzzer = new BreaksAt(5);

    FuzzBench.Outcome outcome =
        FuzzBench.fuzz(
            fuzzer, 42, Duration.ofMinutes(1), new PrintStream(new ByteArrayOutputStream()));

    assertEquals(5, outcome.inputs());
    assertEquals(5, outcome.failure().input());
    assertEquals(fuzzer.seen.get(4), HexFormat.of().formatHex(outcome.failure().bytes()));
    assertEquals("input number 5", outcome.failure().thrown().getMessage());
  }

  @Test
  void aBrokenPropertyIsPrintedWithTheInputInHexAndHowToReplayIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    FuzzBench.Failure failure =
        new FuzzBench.Failure(
            12,
            new byte[] {0x43, 0x52, 0x01},
            "maximum body 8, cut at [1]",
            new Fuzzer.Broken("x"));

    FuzzBench.printFailure(FuzzTarget.DECODER, -5, failure, new PrintStream(err, true, UTF_8));

    String printed = err.toString(UTF_8);
    assertTrue(printed.contains("input #12 broke a property of the frame decoder"), printed);
    assertTrue(printed.contains("input (hex, 3 bytes): 435201"), printed);
    assertTrue(printed.contains("maximum body 8, cut at [1]"), printed);
    assertTrue(printed.contains("fuzz --target decoder --seed -5 (input #12)"), printed);
  }

  @Test
  void richTextIsPrintedAsItsUtf16CodeUnitsLoneSurrogatesIncluded() {
    assertEquals("0061d800003c", HexFormat.of().formatHex(new RichTextFuzzer().bytes("a\ud800<")));
  }

  @Test
  void theSameSeedGivesTheSameInputs() {
    BreaksAt first = new BreaksAt(50);
    BreaksAt second = new BreaksAt(50);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    FuzzBench.fuzz(first, 3, Duration.ofMinutes(1), quiet);
    FuzzBench.fuzz(second, 3, Duration.ofMinutes(1), quiet);

    assertEquals(first.seen, second.seen);
  }

  @Test
  void refusesAnUnknownOrMissingTarget() {
    Result unknown = run("fuzz", "--target", "gate", "--seconds", "1");
    assertEquals(2, unknown.exit);
    assertTrue(unknown.err.contains("must be decoder, body or richtext"), unknown.err);

    Result missing = run("fuzz", "--seconds", "1");
    assertEquals(2, missing.exit);
    assertTrue(missing.err.contains("--target is required"), missing.err);
  }

  @Test
  void isListedInTheHelp() {
    assertTrue(run("--help").out.contains("fuzz"));
    Result help = run("fuzz", "--help");
    assertEquals(0, help.exit);
    assertTrue(help.out.contains("--target decoder|body|richtext"), help.out);
    assertTrue(help.out.contains("--seed"), help.out);
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
