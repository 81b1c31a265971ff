package io.courier.config;

import java.util.Locale;

/**
 * Whether a message waiting for a receiver without a connection wakes the receiver's app, and what
 * the notification shows ({@code push.rules}, docs/push.md).
 */
public enum PushRule {
  /** No notification (e.g. positions, which are stale by the time the app wakes). */
  NEVER,
  /** A notification with the msgid, msgtype and the configured title; never the content. */
  WAKE,
  /** As {@link #WAKE}, with the start of the content as the notification's text. */
  PREVIEW;

  /** The name in the configuration: {@code never}, {@code wake}, {@code preview}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The rule named {@code name}, or null. */
  static PushRule named(String name) {
    for (PushRule rule : values()) {
      if (rule.toString().equals(name)) {
        return rule;
      }
    }
    return null;
  }
}
