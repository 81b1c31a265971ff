package io.courier.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Courier node in a process of its own, started from the built jar ({@code -Dcourier.jar},
 * target/courier.jar by default) with the README's cluster command and {@code env} as its
 * configuration; its output goes to {@code <logs>/<name>.log}. Failsafe runs the tests that use it
 * ({@code *IT}), after {@code package}.
 */
public final class NodeProcess {
  private static final long START_BOUND_MS = 60_000;

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

  /** Waits until the node accepts connections on {@code port} of 127.0.0.1. */
  public void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_BOUND_MS;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        assertTrue(process.isAlive(), name + " exited; see " + log);
        assertTrue(
            System.currentTimeMillis() < deadline,
            name + " does not listen on " + port + "; see " + log);
        Thread.sleep(100);
      }
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

  public Path log() {
    return log;
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + name);
  }
}
