package io.courier.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A server process the suite starts, kills and starts again (Redis, a MariaDB shard): the same
 * command each time, its output appended to one log file.
 */
final class Daemon {
  private final List<String> command;
  private final Path log;
  private Process process;

  Daemon(List<String> command, Path log) {
    this.command = command;
    this.log = log;
  }

  synchronized void start() throws IOException {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** SIGKILL, and waits until the process is gone. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }
}
