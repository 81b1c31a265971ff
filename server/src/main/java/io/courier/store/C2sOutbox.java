package io.courier.store;

import io.courier.protocol.body.C2sMessage;
import io.vertx.core.Future;
import java.util.List;

/**
 * The C2S outbox: the cmids of C2S messages (send-dedup) and the qos-1 C2S messages that no
 * business consumer accepted yet, waiting to be handed over in order per sender and address
 * (docs/storage.md, C2S outbox). One interface, an embedded implementation ({@link RocksC2sOutbox})
 * and a sharded MySQL one ({@link ShardedC2sOutbox}), both on tables of their own beside the {@link
 * MessageStore}'s.
 *
 * <p>A queue is the messages of one sender {@code (from_uid, from_appcode)} for one address (its
 * {@code msgtype}), in the order they were stored. Only the head of a queue is handed over: a
 * message leaves by {@link #remove} once a consumer accepted it, and only then may the next one go.
 * In a cluster several nodes drain one outbox; {@link #claim} lets exactly one of them hand a head
 * over at a time, for a lease.
 *
 * <p>Every write completes once durable; a failed future means the store is unavailable.
 */
public interface C2sOutbox {

  Future<Void> open();

  Future<Void> close();

  /**
   * Records {@code msgid} and {@code senddate} as the message of {@code (fromUid, fromAppcode,
   * cmid)}, unless that cmid has one already: then the result is that first message, marked
   * duplicate.
   */
  Future<Remembered> remember(
      String fromUid, int fromAppcode, String cmid, long msgid, long senddate);

  /** Whether the queue of {@code (fromUid, fromAppcode, msgtype)} has a message waiting. */
  Future<Boolean> hasWaiting(String fromUid, int fromAppcode, int msgtype);

  /**
   * Appends {@code message} to its queue, unless a message of that msgid waits already (a resend):
   * the result is true when it was appended. Fails with {@link C2sOutboxFullException}, storing
   * nothing, when the sender has {@code maxPerSender} messages waiting over all its queues.
   */
  Future<Boolean> store(C2sMessage message, int maxPerSender);

  /** The heads of up to {@code limit} queues, of those not claimed at {@code now}. */
  Future<List<Waiting>> heads(int limit, long now);

  /**
   * Claims {@code head} until {@code until}, if no other claim on it runs at {@code now} and it
   * still waits: true when this caller may hand it over.
   */
  Future<Boolean> claim(Waiting head, long now, long until);

  /** Ends a claim without handing the message over: it may be claimed again at once. */
  Future<Void> release(Waiting head);

  /** Removes a message a consumer accepted; the next one of its queue becomes the head. */
  Future<Void> remove(Waiting head);

  /**
   * One bounded round of the retention purge: deletes up to a batch of waiting messages and cmids
   * with {@code senddate} before {@code before}; the result is how many messages were deleted.
   */
  Future<Integer> purge(long before);

  /**
   * A waiting message.
   *
   * @param seq its place in the outbox, ascending in the order of storing within a queue
   */
  record Waiting(long seq, C2sMessage message) {}

  /**
   * The result of {@link #remember}.
   *
   * @param duplicate true when the cmid had a message before: msgid and senddate are that one's
   */
  record Remembered(long msgid, long senddate, boolean duplicate) {}
}
