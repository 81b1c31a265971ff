package io.courier.bench;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the platform accepted (a C2G's msgid and its sender) against what every member of the group
 * received, to count lost and duplicated deliveries of group messages. Thread-safe; a member's
 * receipt may be recorded before the acceptance it belongs to (a PUSH can overtake the answer to
 * its sender).
 *
 * <ul>
 *   <li><b>missing</b>: an accepted message that a member other than its sender never received;
 *   <li><b>duplicated</b>: a member received the message again after the first time;
 *   <li><b>unexpected</b>: a receipt of a message never accepted in this run.
 * </ul>
 *
 * Members are named by their slot in the group ({@code 0 .. members - 1}); the caller records only
 * receipts by members of the message's own group, and not the sender's own (it counts those apart).
 *
 * @implNote Not a {@link DeliveryLedger}: that one keeps one receipt per msgid, which is the C2C
 *     and S2C case; here one msgid is due to {@code members - 1} members. A map of msgid to a bit
 *     set of the slots that got it rather than one {@link DeliveryLedger} per member: a ledger per
 *     member starts at ~650 KB, 300 MB for a group of 500, while a bit set per message is {@code
 *     members / 8} bytes, and the deliveries of one message hit one entry, so its lock is rarely
 *     contended.
 */
final class FanoutLedger {
  /** What one receipt was. */
  enum Receipt {
    /** The member's first receipt of the message; others are still due. */
    FIRST,
    /** The member's first receipt, and the last member it was due to: the fan-out is complete. */
    COMPLETE,
    /** The member had it already. */
    DUPLICATE
  }

  private static final int NOT_ACCEPTED = -1;

  private final int members;
  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder receipts = new LongAdder();
  private final LongAdder duplicates = new LongAdder();

  /** A ledger for groups of {@code members} members. */
  FanoutLedger(int members) {
    this.members = members;
  }

  /** The platform accepted {@code msgid}, sent by the member of slot {@code senderSlot}. */
  void accepted(long msgid, int senderSlot) {
    Entry entry = entries.computeIfAbsent(msgid, id -> new Entry());
    synchronized (entry) {
      if (entry.sender == NOT_ACCEPTED) {
        entry.sender = senderSlot;
        accepted.increment();
      }
    }
  }

  /** The member of slot {@code slot} received {@code msgid}. */
  Receipt received(long msgid, int slot) {
    Entry entry = entries.computeIfAbsent(msgid, id -> new Entry());
    synchronized (entry) {
      if (entry.slots.get(slot)) {
        duplicates.increment();
        return Receipt.DUPLICATE;
      }
      entry.slots.set(slot);
      entry.received++;
      receipts.increment();
      return entry.received == members - 1 ? Receipt.COMPLETE : Receipt.FIRST;
    }
  }

  /** Messages accepted. */
  long acceptedCount() {
    return accepted.sum();
  }

  /** Deliveries due: every accepted message to every member but its sender. */
  long dueCount() {
    return accepted.sum() * (members - 1);
  }

  /** Distinct (message, member) receipts, accepted or not. */
  long receivedCount() {
    return receipts.sum();
  }

  long duplicates() {
    return duplicates.sum();
  }

  /** Deliveries due and not (yet) received. O(messages): call it at checkpoints. */
  long missing() {
    long missing = 0;
    for (Entry entry : entries.values()) {
      synchronized (entry) {
        if (entry.sender != NOT_ACCEPTED) {
          missing += members - 1 - entry.received;
        }
      }
    }
    return missing;
  }

  /** Receipts of messages never accepted. O(messages). */
  long unexpected() {
    long unexpected = 0;
    for (Entry entry : entries.values()) {
      synchronized (entry) {
        if (entry.sender == NOT_ACCEPTED) {
          unexpected += entry.received;
        }
      }
    }
    return unexpected;
  }

  /**
   * One message: its sender's slot once accepted, and the slots that received it (and how many).
   */
  private static final class Entry {
    private int sender = NOT_ACCEPTED;
    private int received;
    private final BitSet slots = new BitSet();
  }
}
