package io.courier.client.cli;

/**
 * The command line is wrong: the message says what, and the command's usage follows it (exit 2).
 */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
