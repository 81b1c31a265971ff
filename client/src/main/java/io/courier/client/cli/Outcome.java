package io.courier.client.cli;

/**
 * How a one-shot command ends: the process exit code and the line to print, on stdout for success
 * and on stderr for a failure.
 */
record Outcome(int exitCode, String line) {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static Outcome ok(String line) {
    return new Outcome(OK, line);
  }

  static Outcome failed(String line) {
    return new Outcome(FAILED, line);
  }

  boolean succeeded() {
    return exitCode == OK;
  }
}
