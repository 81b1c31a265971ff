package io.courier.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The Node.js on the PATH. */
final class NodeRuntime {
  private NodeRuntime() {}

  /** Its major version, or 0 when there is none. */
  static int majorVersion() throws InterruptedException {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return 0;
      }
      return Integer.parseInt(version.trim().replaceFirst("^v", "").split("\\.")[0]);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
