package io.courier.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What was accepted by the platform (code 0, with its msgid) against what receivers got, to count
 * lost and duplicated messages. Thread-safe; a receipt may be recorded before the acceptance it
 * belongs to (a PUSH can overtake the reply to its sender).
 *
 * <ul>
 *   <li><b>lost</b>: accepted, never received;
 *   <li><b>duplicated</b>: received again after the first time (the client must drop those; they
 *       are resends of an unacknowledged push, or a bug);
 *   <li><b>unexpected</b>: received, never accepted in this run (e.g. a request that timed out at
 *       the sender was delivered anyway, or a leftover of an earlier run to the same user).
 * </ul>
 */
public final class DeliveryLedger {
  private static final int STRIPE_BITS = 6;

  private final Stripe[] stripes = new Stripe[1 << STRIPE_BITS];

  /** Status of index i is {@code statuses.get(i - 1)}; 0 stands for "not accepted". */
  private final List<String> statuses = new CopyOnWriteArrayList<>();

  private final Map<String, Integer> statusIndex = new ConcurrentHashMap<>();
  private final LongAdder duplicates = new LongAdder();

  public DeliveryLedger() {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Stripe();
    }
  }

  /**
   * The platform accepted msgid; {@code status} is its reply's status (or "accepted" when it has
   * none).
   */
  public void accepted(long msgid, String status) {
    stripe(msgid).accept(msgid, indexOf(status == null ? "accepted" : status));
  }

  /** A receiver got msgid; true the first time, false (and counted) for a duplicate. */
  public boolean received(long msgid) {
    if (stripe(msgid).receive(msgid)) {
      return true;
    }
    duplicates.increment();
    return false;
  }

  public long acceptedCount() {
    long count = 0;
    for (Stripe stripe : stripes) {
      count += stripe.acceptedCount();
    }
    return count;
  }

  public long receivedCount() {
    long count = 0;
    for (Stripe stripe : stripes) {
      count += stripe.receivedCount();
    }
    return count;
  }

  public long duplicates() {
    return duplicates.sum();
  }

  /** Accepted and not (yet) received. O(accepted): call it at checkpoints, not per message. */
  public long missing() {
    return missingByStatus().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Accepted with {@code status} and not (yet) received. O(accepted). */
  public long missing(String status) {
    Integer index = statusIndex.get(status);
    if (index == null) {
      return 0;
    }
    long missing = 0;
    for (Stripe stripe : stripes) {
      long[] byIndex = stripe.missing();
      missing += index < byIndex.length ? byIndex[index] : 0;
    }
    return missing;
  }

  /**
   * The missing messages counted by the status of their acceptance ({@code pushed}, {@code stored}
   * …).
   */
  public Map<String, Long> missingByStatus() {
    Map<String, Long> byStatus = new TreeMap<>();
    for (Stripe stripe : stripes) {
      long[] missing = stripe.missing();
      for (int i = 1; i < missing.length; i++) {
        if (missing[i] > 0) {
          byStatus.merge(statuses.get(i - 1), missing[i], Long::sum);
        }
      }
    }
    return byStatus;
  }

  /** Received and never accepted. */
  public long unexpected() {
    long unexpected = 0;
    for (Stripe stripe : stripes) {
      unexpected += stripe.missing()[0];
    }
    return unexpected;
  }

  private int indexOf(String status) {
    Integer index = statusIndex.get(status);
    return index != null ? index : newIndex(status);
  }

  private synchronized int newIndex(String status) {
    Integer index = statusIndex.get(status);
    if (index != null) {
      return index;
    }
    if (statuses.size() >= Short.MAX_VALUE >> 1) {
      throw new IllegalStateException(
          "more than " + (Short.MAX_VALUE >> 1) + " distinct reply statuses");
    }
    statuses.add(status);
    statusIndex.put(status, statuses.size());
    return statuses.size();
  }

  private Stripe stripe(long msgid) {
    return stripes[(int) (mix(msgid) >>> (Long.SIZE - STRIPE_BITS))];
  }

  private static long mix(long msgid) {
    return msgid * 0x9E3779B97F4A7C15L;
  }

  /**
   * The msgids of one stripe in an open-addressing table (linear probing, at most half full), each
   * with a state: bit 0 received, bits 1-15 the index of its acceptance status (0: not accepted).
   *
   * @implNote Primitive arrays rather than a concurrent map of boxed msgids: the ledger is written
   *     twice per message from the sender's and the receivers' event loops, and a stripe's lock is
   *     uncontended at the bench's rates, while boxing and map nodes were a visible part of the
   *     bench's own CPU.
   */
  private static final class Stripe {
    private long[] keys = new long[1024];
    private short[] states = new short[1024];
    private int used;
    private int accepted;
    private int received;

    synchronized void accept(long msgid, int statusIndex) {
      int slot = slot(msgid);
      int state = states[slot];
      if (state >>> 1 == 0) {
        accepted++;
      }
      store(slot, msgid, (short) (statusIndex << 1 | state & 1));
    }

    synchronized boolean receive(long msgid) {
      int slot = slot(msgid);
      int state = states[slot];
      if ((state & 1) != 0) {
        return false;
      }
      received++;
      store(slot, msgid, (short) (state | 1));
      return true;
    }

    synchronized int acceptedCount() {
      return accepted;
    }

    synchronized int receivedCount() {
      return received;
    }

    /**
     * [0]: received and not accepted; [i]: accepted with status index i and not received. As long
     * as the highest index present needs.
     */
    synchronized long[] missing() {
      long[] missing = new long[8];
      for (short state : states) {
        if (state == 0) {
          continue;
        }
        int index = (state & 1) == 0 ? state >>> 1 : state >>> 1 == 0 ? 0 : -1;
        if (index >= 0) {
          if (index >= missing.length) {
            missing = Arrays.copyOf(missing, Math.max(2 * missing.length, index + 1));
          }
          missing[index]++;
        }
      }
      return missing;
    }

    /** The slot of msgid, or the empty slot where it belongs. */
    private int slot(long msgid) {
      int mask = keys.length - 1;
      long h = mix(msgid);
      int slot = (int) (h ^ h >>> 32) & mask;
      while (states[slot] != 0 && keys[slot] != msgid) {
        slot = slot + 1 & mask;
      }
      return slot;
    }

    private void store(int slot, long msgid, short state) {
      if (states[slot] == 0) {
        keys[slot] = msgid;
        used++;
      }
      states[slot] = state;
      if (2 * used > keys.length) {
        grow();
      }
    }

    private void grow() {
      long[] oldKeys = keys;
      short[] oldStates = states;
      keys = new long[2 * oldKeys.length];
      states = new short[2 * oldStates.length];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldStates[i] != 0) {
          int slot = slot(oldKeys[i]);
          keys[slot] = oldKeys[i];
          states[slot] = oldStates[i];
        }
      }
    }
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
