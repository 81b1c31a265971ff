package io.courier.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What was accepted by the platform (code 0, with its msgid) against what receivers got, to count lost and
 * duplicated messages. Thread-safe; a receipt may be recorded before the acceptance it belongs to (a PUSH
 * can overtake the reply to its sender).
 *
 * <ul>
 *   <li><b>lost</b>: accepted, never received;</li>
 *   <li><b>duplicated</b>: received again after the first time (the client must drop those; they are
 *       resends of an unacknowledged push, or a bug);</li>
 *   <li><b>unexpected</b>: received, never accepted in this run (e.g. a request that timed out at the
 *       sender was delivered anyway, or a leftover of an earlier run to the same user).</li>
 * </ul>
 */
public final class DeliveryLedger {
  private final Map<Long, String> accepted = new ConcurrentHashMap<>();
  private final Set<Long> received = ConcurrentHashMap.newKeySet();
  private final LongAdder duplicates = new LongAdder();

  /** The platform accepted msgid; {@code status} is its reply's status (or "accepted" when it has none). */
  public void accepted(long msgid, String status) {
    accepted.put(msgid, status == null ? "accepted" : status);
  }

  /** A receiver got msgid; true the first time, false (and counted) for a duplicate. */
  public boolean received(long msgid) {
    if (received.add(msgid)) {
      return true;
    }
    duplicates.increment();
    return false;
  }

  public long acceptedCount() {
    return accepted.size();
  }

  public long receivedCount() {
    return received.size();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  /** Accepted and not (yet) received. O(accepted): call it at checkpoints, not per message. */
  public long missing() {
    long missing = 0;
    for (Long msgid : accepted.keySet()) {
      if (!received.contains(msgid)) {
        missing++;
      }
    }
    return missing;
  }

  /** Accepted with {@code status} and not (yet) received. O(accepted). */
  public long missing(String status) {
    long missing = 0;
    for (Map.Entry<Long, String> entry : accepted.entrySet()) {
      if (entry.getValue().equals(status) && !received.contains(entry.getKey())) {
        missing++;
      }
    }
    return missing;
  }

  /** The missing messages counted by the status of their acceptance ({@code pushed}, {@code stored} …). */
  public Map<String, Long> missingByStatus() {
    Map<String, Long> byStatus = new TreeMap<>();
    accepted.forEach((msgid, status) -> {
      if (!received.contains(msgid)) {
        byStatus.merge(status, 1L, Long::sum);
      }
    });
    return byStatus;
  }

  /** Received and never accepted. */
  public long unexpected() {
    long unexpected = 0;
    for (Long msgid : received) {
      if (!accepted.containsKey(msgid)) {
        unexpected++;
      }
    }
    return unexpected;
  }

  /** A msgid as sent on the wire (a decimal string), or -1 when it is not one. */
  public static long parseMsgid(Object msgid) {
    if (!(msgid instanceof String)) {
      return -1;
    }
    try {
      return Long.parseUnsignedLong((String) msgid);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
