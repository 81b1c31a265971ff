package io.courier.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the JavaScript client's own tests ({@code clients/js/test}, Node's test runner) as part of
 * the build: they start a node from the jar just built ({@code -Dcourier.jar}) and speak to it over
 * the WebSocket gate. Their output goes to {@code target/js-client-tests.txt}; a failing test fails
 * this one. Needs Node 20 or later on the PATH ({@code .ci/run} installs it when missing).
 */
class JavaScriptClientIT {
  private static final long BOUND_MINUTES = 5;

  @Test
  void theJavaScriptClientTestsPass() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("courier.root", ".."));
    Path jar = Path.of(System.getProperty("courier.jar", "target/courier.jar")).toAbsolutePath();
    Path output = Path.of("target", "js-client-tests.txt").toAbsolutePath();
    int major = NodeRuntime.majorVersion();
    assertTrue(major >= 20, "the JavaScript client's tests need Node 20 or later, found " + major);
    List<String> command = new ArrayList<>(List.of("node"));
    if (major < 22) {
      command.add("--experimental-websocket"); // Node 20 has WebSocket behind this flag
    }
    command.addAll(List.of("--test", "test/"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.resolve("clients/js").toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("COURIER_JAR", jar.toString());
    Process process = builder.start();
    if (!process.waitFor(BOUND_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("node --test did not end within " + BOUND_MINUTES + " minutes");
    }
    assertEquals(0, process.exitValue(), () -> "JavaScript client tests failed:\n" + tail(output));
  }

  private static String tail(Path output) {
    try {
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
