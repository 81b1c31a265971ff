package io.courier.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system commands the suite needs ({@code ip}, {@code iptables}, {@code kill} …). */
final class Shell {
  private static final long BOUND_SECONDS = 60;

  /** A finished command: its exit code and its output (stdout and stderr together). */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private Shell() {}

  /** Runs {@code command}; fails unless it exits 0. */
  static String run(String... command) {
    Result result = tryRun(command);
    if (!result.ok()) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + result.code() + ": " + result.output().strip());
    }
    return result.output();
  }

  /** Runs {@code command} and returns what happened, whatever its exit code. */
  static Result tryRun(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** True when {@code program} can be run (it is on the PATH). */
  static boolean has(String program) {
    return tryRun("sh", "-c", "command -v " + program).ok();
  }

  /** Sends {@code signal} (e.g. {@code KILL}, {@code STOP}, {@code CONT}) to {@code pid}. */
  static void signal(long pid, String signal) {
    tryRun("kill", "-" + signal, Long.toString(pid));
  }
}
