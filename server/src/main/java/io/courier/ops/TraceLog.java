package io.courier.ops;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Log lines about one message, with its logid in the MDC key {@value #KEY} (printed by the log
 * pattern), so that {@code grep <logid>} over any node's log finds the message's whole path.
 *
 * <p>A message's routine steps are logged at DEBUG ({@code COURIER_LOG_LEVEL=DEBUG}): at INFO a
 * busy node would spend its time writing them, and the trace API ({@code GET /v1/trace/{logid}})
 * keeps them anyway. Failures are logged at WARN.
 *
 * <p>The MDC is set around each line rather than around a handler: in asynchronous code a
 * thread-local context set in one callback would leak into unrelated work on the same event loop.
 */
public final class TraceLog {
  public static final String KEY = "logid";

  private TraceLog() {}

  public static void info(Logger log, String logid, String format, Object... args) {
    MDC.put(KEY, logid);
    try {
      log.info(format, args);
    } finally {
      MDC.remove(KEY);
    }
  }

  public static void debug(Logger log, String logid, String format, Object... args) {
    if (!log.isDebugEnabled()) {
      return;
    }
    MDC.put(KEY, logid);
    try {
      log.debug(format, args);
    } finally {
      MDC.remove(KEY);
    }
  }

  public static void warn(Logger log, String logid, String format, Object... args) {
    MDC.put(KEY, logid);
    try {
      log.warn(format, args);
    } finally {
      MDC.remove(KEY);
    }
  }
}
