package io.courier.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Courier node in a process of its own, started from the built jar ({@code -Dcourier.jar},
 * target/courier.jar by default) with the README's cluster command and {@code env} as its
 * configuration; its output goes to {@code <logs>/<name>.log}. Failsafe runs the tests that use it
 * ({@code *IT}), after {@code package}.
 */
public final class NodeProcess {
  private static final long START_BOUND_MS = 90_000;
  private static final int TAIL_LINES = 40;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static NodeProcess start(String name, Map<String, String> env, Path logs)
      throws IOException {
    Path log = logs.resolve(name + ".log");
    String jar = System.getProperty("courier.jar", "target/courier.jar");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder =
        new ProcessBuilder(java, "-jar", jar, "-cluster")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new NodeProcess(name, builder.start(), log);
  }

  /**
   * Waits until the node's public {@code GET /ready} on {@code httpPort} answers 200: the HTTP
   * listener is the last part a node starts, and it reports ready only when its backends and the
   * cluster answer, so every listener is bound and every role registered by then.
   */
  public void awaitReady(int httpPort) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_BOUND_MS;
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (true) {
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited before it was ready; " + describe());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            name + " not ready within " + START_BOUND_MS + " ms; " + describe());
      }
      Thread.sleep(100);
    }
  }

  /** Stops the process with SIGSTOP: it keeps its sockets but runs no thread until resumed. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Resumes a paused process with SIGCONT. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Kills the process (SIGKILL) and waits for it to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Kills the process (SIGKILL) without waiting. */
  public void killNow() {
    process.destroyForcibly();
  }

  public Path log() {
    return log;
  }

  /** Where the node logs and the last lines it logged, for a failure message. */
  public String describe() {
    StringBuilder text = new StringBuilder(name).append(" logs to ").append(log);
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      text.append("; its last lines:");
      lines
          .subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
          .forEach(line -> text.append("\n  ").append(line));
    } catch (IOException e) {
      text.append(" (unreadable: ").append(e).append(')');
    }
    return text.toString();
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + name);
  }
}
