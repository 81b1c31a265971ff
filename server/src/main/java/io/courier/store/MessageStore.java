package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.util.List;

/**
 * Offline messages, message history and send-dedup: one interface, an embedded implementation
 * (files under the data directory) and a sharded MySQL one.
 *
 * <p>Every write completes only after it is durable (committed); a failed future means the store is
 * unavailable, which the caller answers with 503 and never acknowledges. Msgids are compared as
 * numbers.
 */
public interface MessageStore {

  /** Creates or migrates the schema; the store is usable when this completes. */
  Future<Void> open();

  Future<Void> close();

  /** Succeeds when the store answers a trivial query: the readiness check. */
  Future<Void> ping();

  /**
   * The highest msgid stored in any table, 0 when empty: the floor of the node's msgid generator.
   */
  Future<Long> maxMsgid();

  /**
   * Accepts a C2C message: its two history rows (owned by the sender and by the receiver; one when
   * they are the same user) and the receiver's offline row, atomically, deduplicated by {@code
   * (from_uid, from_appcode, cmid)}. If that cmid was already accepted, nothing is written and the
   * result is the first message's msgid and senddate.
   */
  Future<Accepted> acceptC2c(Message message, String cmid);

  /** Stores offline rows (S2C qos 1, one per receiver) atomically. */
  Future<Void> storeOffline(List<Message> messages);

  /**
   * Offline messages of {@code (uid, appcode)} with msgid greater than {@code after}, ascending.
   */
  Future<Page> pull(String uid, int appcode, long after, int limit);

  /**
   * Removes the offline messages of {@code (uid, appcode)} with msgid ≤ {@code upto}; the result is
   * how many.
   */
  Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto);

  /** Removes one offline message, acknowledged by a PUSH ack; true if it was there. */
  Future<Boolean> removeOffline(String uid, int appcode, long msgid);

  /**
   * History rows owned by {@code owner} in the conversation with {@code peer}, msgid below {@code
   * before}, newest first.
   */
  Future<Page> history(String owner, String peer, long before, int limit);

  /**
   * The result of {@link #acceptC2c}.
   *
   * @param duplicate true when the cmid had been accepted before and nothing new was stored
   */
  record Accepted(long msgid, long senddate, boolean duplicate) {}

  /** One page of messages and whether more follow it. */
  record Page(List<Message> messages, boolean more) {}
}
