package io.courier.faults;

import io.courier.faults.Topology.NodeNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Courier node: {@code java -jar courier.jar -cluster} in its own network namespace, started
 * again after a kill as a new process (a new incarnation, with a new Vert.x node id and its own log
 * file).
 *
 * <p>When libfaketime is installed every incarnation runs under it with a clock file of its own, so
 * that {@link #shiftClock} can move the node's wall clock (not its monotonic clock: the JVM needs
 * that one steady) while it runs.
 */
final class CourierNode {
  private static final Pattern READY = Pattern.compile("Courier node (\\S+) ready");
  private static final long READY_BOUND_MS = 180_000;
  private static final String FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

  private final NodeNet net;
  private final Path jar;
  private final Path logs;
  private final Map<String, String> env;
  private final Path clockFile;
  private final boolean fakeClock;
  private Process process;
  private Path log;
  private String vertxId;
  private int incarnation;

  CourierNode(
      NodeNet net, Path jar, Path logs, Path work, Map<String, String> env, boolean fakeClock) {
    this.net = net;
    this.fakeClock = fakeClock && clockShiftable();
    this.jar = jar;
    this.logs = logs;
    this.env = env;
    this.clockFile = work.resolve(net.name() + ".faketime");
  }

  NodeNet net() {
    return net;
  }

  String name() {
    return net.name();
  }

  /** True when this machine can shift a node's clock (libfaketime is installed). */
  static boolean clockShiftable() {
    return Files.exists(Path.of(FAKETIME_LIB));
  }

  /** Starts a new incarnation; {@link #awaitReady} waits for it. */
  synchronized void start() throws IOException {
    incarnation++;
    vertxId = null;
    log = logs.resolve(net.name() + "-" + incarnation + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                net.namespace(),
                javaBin(),
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "-cluster"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    if (fakeClock) {
      Files.writeString(clockFile, "+0\n");
      builder.environment().put("LD_PRELOAD", FAKETIME_LIB);
      builder.environment().put("FAKETIME_TIMESTAMP_FILE", clockFile.toString());
      builder.environment().put("FAKETIME_CACHE_DURATION", "1");
      builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    process = builder.start();
  }

  /** Waits until the node logs that it is ready; returns its Vert.x node id. */
  String awaitReady() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + READY_BOUND_MS;
    while (true) {
      Process current;
      Path currentLog;
      synchronized (this) {
        current = process;
        currentLog = log;
      }
      Matcher matcher = READY.matcher(Files.readString(currentLog));
      if (matcher.find()) {
        synchronized (this) {
          vertxId = matcher.group(1);
          return vertxId;
        }
      }
      if (!current.isAlive()) {
        throw new IllegalStateException(
            net.name()
                + " exited with "
                + current.exitValue()
                + " before it was ready; see "
                + currentLog);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(net.name() + " not ready in time; see " + currentLog);
      }
      Thread.sleep(200);
    }
  }

  synchronized String vertxId() {
    return vertxId;
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    Process current;
    synchronized (this) {
      current = process;
    }
    if (current != null) {
      current.destroyForcibly().waitFor();
    }
  }

  synchronized void pause() {
    if (process != null) {
      Shell.signal(process.pid(), "STOP");
    }
  }

  synchronized void resume() {
    if (process != null) {
      Shell.signal(process.pid(), "CONT");
    }
  }

  /** Moves the node's wall clock by {@code seconds} from the true time (0: back to it). */
  void shiftClock(int seconds) throws IOException {
    Files.writeString(clockFile, (seconds >= 0 ? "+" : "") + seconds + "s\n");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
