package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The SQL of one group commit: the write requests of a batch, run in one transaction. Each kind of
 * row is written or looked up with one statement per {@value MultiRowStatement#MAX_ROWS} rows
 * ({@link MultiRowStatement}); each {@link RemoveUpTo} is one statement of its own.
 *
 * <p>The order is removals, marks of given rows, purges, read marks, the group changes and the
 * group messages' checks, dedup and timeline rows, in arrival order ({@link
 * SqlGroupMessages#prepare}), the offline quota ({@link #admit}), C2C dedup, history rows, offline
 * rows. The requests of a batch were all pending at once, so any order is one in which they could
 * have arrived; this one lets the rows of each kind go together. A removal therefore never deletes
 * a row that is inserted by the same batch, and an OFFLINE_ACK {@code upto} removes only rows given
 * by a PULL whose mark committed before, that is, whose page was answered or about to be.
 *
 * <p>Every insert is {@code INSERT ... ON DUPLICATE KEY UPDATE}, so that any write can be retried,
 * even one whose commit succeeded without the store hearing of it. {@code INSERT IGNORE} was
 * rejected: MySQL then also turns other errors (a value too long, a NULL) into warnings and stores
 * something else. A dedup row already there is left as it is: the read-back then tells the
 * duplicate. A history or offline row already there is left as it is only when it holds the same
 * message; another message under its key means that two nodes issued the same msgid, and the write
 * fails with {@link MsgidConflictException} rather than report as stored a message that is not.
 *
 * <p>The same message has the same sender and logid. The receiver's rows of a C2C message — its
 * history row and its offline row — compare only the sender: a resend that repairs a cross-shard
 * message writes them with its own logid ({@link ShardedMessageStore}), and another message of the
 * same sender under the same msgid conflicts on the sender's history row, which is written before
 * them or in their transaction.
 *
 * <p>On another message the clause moves the stored row's {@code senddate} by one, which only makes
 * the statement's update count exceed its number of rows ({@link MultiRowStatement#insert}): the
 * rows of such a statement are read back one by one to name the conflict, and the transaction
 * fails, which undoes the change. Reading back every insert was rejected: a statement more per kind
 * of row and batch, for an event that should never happen.
 *
 * <p>Results come from rows read back ({@code SELECT ... FOR UPDATE}) or from single statements;
 * update counts serve only to notice a conflict. The locking read sees rows committed by another
 * node's store on the same MySQL database, whatever the isolation level.
 */
final class WriteBatch {
  private static final String DELETE_OFFLINE_UP_TO =
      "DELETE FROM offline_message WHERE to_uid = ? AND to_appcode = ? AND state = "
          + SqlDialect.GIVEN
          + " AND msgid <= ?";
  private static final String PURGE_DEDUP = "DELETE FROM send_dedup WHERE senddate < ? LIMIT ?";
  private static final String PURGE_OFFLINE =
      "DELETE FROM offline_message WHERE senddate < ? LIMIT ?";
  private static final String PURGE_HISTORY = "DELETE FROM user_message WHERE senddate < ? LIMIT ?";
  private static final String PURGE_TIMELINE =
      "DELETE FROM group_message WHERE senddate < ? LIMIT ?";
  private static final String ON_DUPLICATE = " ON DUPLICATE KEY UPDATE senddate = senddate";
  private static final MultiRowStatement<OfflineKey> DELETE_OFFLINE_KEYS =
      new MultiRowStatement<>(
          "DELETE FROM offline_message WHERE (to_uid, to_appcode, msgid) IN (",
          ")",
          3,
          OfflineKey::bind);
  // Locks the listed offline rows, for the removals and for the marks of what a PULL gave. The mark
  // compares the state in Java, not in the WHERE clause: with "AND state = 0" H2 looks the rows up
  // through the given index by to_uid alone, reading every never-given row of the receiver.
  private static final MultiRowStatement<OfflineKey> LOCK_OFFLINE_ROWS =
      new MultiRowStatement<>(
          "SELECT to_uid, to_appcode, msgid, state, kind, from_uid, addressed_uid FROM offline_message"
              + " WHERE (to_uid, to_appcode, msgid) IN (",
          ") FOR UPDATE",
          3,
          OfflineKey::bind);
  private static final MultiRowStatement<OfflineKey> MARK_GIVEN =
      new MultiRowStatement<>(
          "UPDATE offline_message SET state = "
              + SqlDialect.GIVEN
              + " WHERE (to_uid, to_appcode, msgid) IN (",
          ")",
          3,
          OfflineKey::bind);
  private static final MultiRowStatement<Delivered> DELIVERED =
      new MultiRowStatement<>(
          "INSERT INTO conversation (owner_uid, peer_uid, delivered_upto) VALUES ",
          " ON DUPLICATE KEY UPDATE delivered_upto = GREATEST(delivered_upto, VALUES(delivered_upto))",
          3,
          (row, tuple) -> tuple.addString(row.receiver).addString(row.sender).addLong(row.msgid));
  private static final MultiRowStatement<HistoryRow> LAST =
      new MultiRowStatement<>(
          "INSERT INTO conversation (owner_uid, peer_uid, last_msgid) VALUES ",
          " ON DUPLICATE KEY UPDATE last_msgid = GREATEST(last_msgid, VALUES(last_msgid))",
          3,
          (row, tuple) ->
              tuple.addString(row.owner).addString(row.peer).addLong(row.message.msgid()));
  private static final MultiRowStatement<Receiver> SELECT_TERMINALS =
      new MultiRowStatement<>(
          "SELECT uid, appcode FROM user_terminal WHERE (uid, appcode) IN (",
          ")",
          2,
          Receiver::bind);
  private static final String LOCK_READ =
      "SELECT read_upto FROM conversation WHERE owner_uid = ? AND peer_uid = ? FOR UPDATE";
  private static final String MARK_READ =
      "INSERT INTO conversation (owner_uid, peer_uid, read_upto) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE read_upto = GREATEST(read_upto, VALUES(read_upto))";
  private static final MultiRowStatement<Accept> INSERT_DEDUP =
      new MultiRowStatement<>(
          "INSERT INTO send_dedup (from_uid, from_appcode, cmid, msgid, senddate) VALUES ",
          ON_DUPLICATE,
          5,
          (accept, tuple) ->
              tuple
                  .addString(accept.key.fromUid())
                  .addInteger(accept.key.fromAppcode())
                  .addString(accept.key.cmid())
                  .addLong(accept.message.msgid())
                  .addLong(accept.message.senddate()));
  private static final MultiRowStatement<Receiver> COUNT_OFFLINE =
      new MultiRowStatement<>(
          "SELECT to_uid, to_appcode, COUNT(*) AS waiting FROM offline_message WHERE (to_uid, to_appcode) IN (",
          ") GROUP BY to_uid, to_appcode",
          2,
          Receiver::bind);
  private static final CheckedInsert<HistoryRow> INSERT_HISTORY =
      new CheckedInsert<>(
          new MultiRowStatement<>(
              "INSERT INTO user_message (owner_uid, peer_uid, msgid, to_uid, to_appcode, from_uid, from_appcode,"
                  + " senddate, msgcontent, kind, msgtype, logid) VALUES ",
              onDuplicateUnlessAnotherMessage("owner_uid <> from_uid"),
              12,
              HistoryRow::bind,
              row -> row.message.content().length()),
          row -> !row.owner.equals(row.message.fromUid()),
          "SELECT from_uid, from_appcode, logid FROM user_message"
              + " WHERE owner_uid = ? AND peer_uid = ? AND msgid = ?",
          row -> Tuple.of(row.owner, row.peer, row.message.msgid()),
          row -> "user_message (" + row.owner + ", " + row.peer + ")",
          HistoryRow::message);
  private static final CheckedInsert<Message> INSERT_OFFLINE =
      new CheckedInsert<>(
          new MultiRowStatement<>(
              "INSERT INTO offline_message (msgid, to_uid, to_appcode, from_uid, from_appcode, senddate, msgcontent,"
                  + " kind, msgtype, logid, addressed_uid, addressed_appcode, group_id) VALUES ",
              onDuplicateUnlessAnotherMessage("kind = '" + Kind.C2C.wire() + "'"),
              13,
              WriteBatch::bindOffline,
              message -> message.content().length()),
          message -> message.kind() == Kind.C2C,
          "SELECT from_uid, from_appcode, logid FROM offline_message"
              + " WHERE to_uid = ? AND to_appcode = ? AND msgid = ?",
          message -> Tuple.of(message.inboxUid(), message.inboxAppcode(), message.msgid()),
          message -> "offline_message (" + message.inboxUid() + ", " + message.inboxAppcode() + ")",
          message -> message);

  private WriteBatch() {}

  /**
   * {@link MessageStore#acceptC2c}, with all its rows; or, when {@code senderSideOnly}, only the
   * rows that live on the sender's shard (dedup and the sender's history row), the receiver's being
   * a {@link ReceiverCopy} on another shard.
   */
  static final class Accept extends GroupCommit.Request<MessageStore.Accepted> {
    private final Message message;
    private final DedupKey key;
    private final boolean senderSideOnly;
    private final Copies copies;

    /**
     * @param copies the message's copies for other terminals on this shard ({@link
     *     MessageStore#acceptC2c(Message, String, List)})
     */
    Accept(Message message, String cmid, boolean senderSideOnly, List<Message> copies) {
      this.message = message;
      this.key = new DedupKey(message.fromUid(), message.fromAppcode(), cmid);
      this.senderSideOnly = senderSideOnly;
      this.copies = new Copies(copies);
    }
  }

  /**
   * A message's copies for other terminals: of the {@code candidates}, those whose terminal is
   * recorded are {@code found} ({@link #terminals}); of those, the ones whose terminal is at the
   * offline cap are left out of {@code rows} ({@link #admit}), never refusing the message. Both are
   * worked out again by each run of the batch. A group message's copies ({@link #ofGroup}) keep
   * each member's addressed copy whether its terminal is recorded or not.
   */
  static final class Copies {
    private final List<Message> candidates;
    private final boolean addressedKept;
    private List<Message> found = List.of();
    private List<Message> rows = new ArrayList<>();

    Copies(List<Message> candidates) {
      this(candidates, false);
    }

    private Copies(List<Message> candidates, boolean addressedKept) {
      this.candidates = List.copyOf(candidates);
      this.addressedKept = addressedKept;
    }

    /** The candidate offline rows of a group message ({@link GroupFanout}). */
    static Copies ofGroup(List<Message> candidates) {
      return new Copies(candidates, true);
    }

    private boolean keptUnrecorded(Message copy) {
      return addressedKept && copy.addressed();
    }

    /** The rows to insert, once the batch has run {@link #terminals} and {@link #admit}. */
    List<Message> rows() {
      return rows;
    }
  }

  /**
   * The rows of a C2C message that live on the receiver's shard: its history row and the offline
   * row.
   */
  static final class ReceiverCopy extends GroupCommit.Request<List<Message>> {
    private final Message message;
    private final Copies copies;

    ReceiverCopy(Message message, List<Message> copies) {
      this.message = message;
      this.copies = new Copies(copies);
    }
  }

  /** {@link MessageStore#storeOffline}. */
  static final class StoreOffline extends GroupCommit.Request<Void> {
    private final List<Message> messages;

    StoreOffline(List<Message> messages) {
      this.messages = messages;
    }
  }

  /** {@link MessageStore#markRead}. */
  static final class MarkRead extends GroupCommit.Request<MessageStore.ReadMark> {
    private final String owner;
    private final String peer;
    private final long upto;

    MarkRead(String owner, String peer, long upto) {
      this.owner = owner;
      this.peer = peer;
      this.upto = upto;
    }
  }

  /** The receiver of a C2C message got it: its delivered position with the sender moves. */
  private record Delivered(String receiver, String sender, long msgid) {}

  /** {@link MessageStore#removeOfflineUpTo}. */
  static final class RemoveUpTo extends GroupCommit.Request<Integer> {
    private final String uid;
    private final int appcode;
    private final long upto;

    RemoveUpTo(String uid, int appcode, long upto) {
      this.uid = uid;
      this.appcode = appcode;
      this.upto = upto;
    }
  }

  /** {@link MessageStore#removeOffline}. */
  static final class RemoveOne extends GroupCommit.Request<Boolean> {
    private final OfflineKey key;

    RemoveOne(String uid, int appcode, long msgid) {
      this.key = new OfflineKey(uid, appcode, msgid);
    }
  }

  /** {@link MessageStore#removeOfflineListed}: the result is how many of its rows it removed. */
  static final class RemoveListed extends GroupCommit.Request<Integer> {
    private final List<OfflineKey> keys;

    RemoveListed(String uid, int appcode, Collection<Long> msgids) {
      this.keys = keys(uid, appcode, msgids);
    }
  }

  /**
   * Marks the rows of a PULL page given; the result is the msgids this request changed, those that
   * no earlier mark (in this batch or before it) had given.
   */
  static final class MarkGiven extends GroupCommit.Request<Set<Long>> {
    private final List<OfflineKey> keys;

    MarkGiven(String uid, int appcode, Collection<Long> msgids) {
      this.keys = keys(uid, appcode, msgids);
    }
  }

  private static List<OfflineKey> keys(String uid, int appcode, Collection<Long> msgids) {
    Set<OfflineKey> keys = new LinkedHashSet<>();
    msgids.forEach(msgid -> keys.add(new OfflineKey(uid, appcode, msgid)));
    return List.copyOf(keys);
  }

  /**
   * Deletes up to {@code limit} rows of one table sent before {@code before}; the result is how
   * many.
   */
  static final class Purge extends GroupCommit.Request<Integer> {
    private final String sql;
    private final long before;
    private final int limit;

    private Purge(String sql, long before, int limit) {
      this.sql = sql;
      this.before = before;
      this.limit = limit;
    }

    static Purge dedup(long before, int limit) {
      return new Purge(PURGE_DEDUP, before, limit);
    }

    static Purge offline(long before, int limit) {
      return new Purge(PURGE_OFFLINE, before, limit);
    }

    static Purge history(long before, int limit) {
      return new Purge(PURGE_HISTORY, before, limit);
    }

    /** The groups' timelines, which expire with the history ({@code historyRetention}). */
    static Purge timeline(long before, int limit) {
      return new Purge(PURGE_TIMELINE, before, limit);
    }
  }

  private record Receiver(String uid, int appcode) {
    void bind(Tuple tuple) {
      tuple.addString(uid).addInteger(appcode);
    }

    /** The inbox of {@code message}'s offline row. */
    static Receiver of(Message message) {
      return new Receiver(message.inboxUid(), message.inboxAppcode());
    }
  }

  private record OfflineKey(String uid, int appcode, long msgid) {
    void bind(Tuple tuple) {
      tuple.addString(uid).addInteger(appcode).addLong(msgid);
    }
  }

  /** The copy of {@code message} owned by {@code owner}, in the conversation with {@code peer}. */
  private record HistoryRow(String owner, String peer, Message message) {
    void bind(Tuple tuple) {
      bindMessage(message, tuple.addString(owner).addString(peer));
    }
  }

  /**
   * Runs {@code requests} on {@code conn}, inside the transaction the caller opened, and sets their
   * results.
   */
  static Future<Void> run(
      SqlConnection conn, int offlineMaxPerUser, List<GroupCommit.Request<?>> requests) {
    List<RemoveUpTo> upTos = new ArrayList<>();
    List<RemoveOne> ones = new ArrayList<>();
    List<RemoveListed> listed = new ArrayList<>();
    List<MarkGiven> marks = new ArrayList<>();
    List<Purge> purges = new ArrayList<>();
    List<Accept> accepts = new ArrayList<>();
    List<ReceiverCopy> receiverCopies = new ArrayList<>();
    List<StoreOffline> offline = new ArrayList<>();
    List<MarkRead> reads = new ArrayList<>();
    List<GroupCommit.Request<?>> groupWrites = new ArrayList<>();
    for (GroupCommit.Request<?> request : requests) {
      if (SqlGroupChanges.handles(request) || SqlGroupMessages.handles(request)) {
        groupWrites.add(request);
      } else if (request instanceof MarkRead read) {
        reads.add(read);
      } else if (request instanceof RemoveUpTo upTo) {
        upTos.add(upTo);
      } else if (request instanceof RemoveOne one) {
        ones.add(one);
      } else if (request instanceof RemoveListed list) {
        listed.add(list);
      } else if (request instanceof MarkGiven mark) {
        marks.add(mark);
      } else if (request instanceof Purge purge) {
        purges.add(purge);
      } else if (request instanceof Accept accept) {
        accepts.add(accept);
      } else if (request instanceof ReceiverCopy copy) {
        receiverCopies.add(copy);
      } else {
        offline.add((StoreOffline) request);
      }
    }
    Map<Accept, OfflineQuotaException> overQuota = new LinkedHashMap<>();
    return removeUpTo(conn, upTos)
        .compose(v -> removeKeys(conn, ones, listed))
        .compose(v -> markGiven(conn, marks))
        .compose(v -> purge(conn, purges))
        .compose(v -> markRead(conn, reads))
        .compose(v -> SqlGroupMessages.prepare(conn, groupWrites))
        .compose(v -> terminals(conn, requests))
        .compose(v -> admit(conn, offlineMaxPerUser, requests))
        .compose(
            refused -> {
              refused.forEach(
                  (request, refusal) -> {
                    if (request instanceof Accept accept) {
                      overQuota.put(accept, refusal);
                    } else {
                      request.refuse(refusal);
                    }
                  });
              accepts.removeIf(refused::containsKey);
              receiverCopies.removeIf(refused::containsKey);
              offline.removeIf(refused::containsKey);
              return dedup(conn, accepts);
            })
        .compose(fresh -> resendsOverQuota(conn, overQuota).map(fresh))
        .compose(
            fresh -> {
              List<HistoryRow> history = new ArrayList<>();
              List<Message> offlineRows = new ArrayList<>();
              for (Accept accept : fresh) {
                Message message = accept.message;
                history.add(new HistoryRow(message.fromUid(), message.toUid(), message));
                if (!accept.senderSideOnly && !message.fromUid().equals(message.toUid())) {
                  history.add(new HistoryRow(message.toUid(), message.fromUid(), message));
                }
                if (!accept.senderSideOnly) {
                  offlineRows.add(message);
                }
                offlineRows.addAll(accept.copies.rows);
              }
              for (ReceiverCopy copy : receiverCopies) {
                Message message = copy.message;
                history.add(new HistoryRow(message.toUid(), message.fromUid(), message));
                offlineRows.add(message);
                offlineRows.addAll(copy.copies.rows);
                copy.result(copy.copies.found);
              }
              offline.forEach(store -> offlineRows.addAll(store.messages));
              return INSERT_HISTORY
                  .run(conn, history)
                  .compose(v -> last(conn, history))
                  .compose(
                      v -> {
                        offlineRows.addAll(SqlGroupMessages.write(groupWrites));
                        return INSERT_OFFLINE.run(conn, offlineRows);
                      });
            });
  }

  /** One statement each: the count of each is its own, and several may cover the same receiver. */
  private static Future<Void> removeUpTo(SqlConnection conn, List<RemoveUpTo> removals) {
    Future<Void> chain = Future.succeededFuture();
    for (RemoveUpTo removal : removals) {
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(DELETE_OFFLINE_UP_TO)
                      .execute(Tuple.of(removal.uid, removal.appcode, removal.upto))
                      .map(
                          deleted -> {
                            removal.result(deleted.rowCount());
                            return null;
                          }));
    }
    return chain;
  }

  /**
   * Reads which of the named rows exist, deletes them; of two removals of one row, the first one
   * removed it.
   */
  private static Future<Void> removeKeys(
      SqlConnection conn, List<RemoveOne> ones, List<RemoveListed> listed) {
    if (ones.isEmpty() && listed.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<OfflineKey> keys = new LinkedHashSet<>();
    ones.forEach(removal -> keys.add(removal.key));
    listed.forEach(removal -> keys.addAll(removal.keys));
    return LOCK_OFFLINE_ROWS
        .run(conn, List.copyOf(keys))
        .compose(
            rows -> {
              Set<OfflineKey> present = offlineKeys(rows);
              Set<OfflineKey> unclaimed = new HashSet<>(present);
              ones.forEach(removal -> removal.result(unclaimed.remove(removal.key)));
              listed.forEach(
                  removal ->
                      removal.result(
                          (int) removal.keys.stream().filter(unclaimed::remove).count()));
              if (present.isEmpty()) {
                return Future.succeededFuture();
              }
              return DELETE_OFFLINE_KEYS
                  .run(conn, List.copyOf(present))
                  .compose(v -> delivered(conn, rows));
            });
  }

  /**
   * Reads which of the marked rows were never given, with their locks, and marks those given; of
   * two marks of one row (pipelined or concurrent PULLs), the first one changed it. The locking
   * read sees a mark committed by another node's store on the same database.
   */
  private static Future<Void> markGiven(SqlConnection conn, List<MarkGiven> marks) {
    if (marks.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<OfflineKey> keys = new LinkedHashSet<>();
    marks.forEach(mark -> keys.addAll(mark.keys));
    return LOCK_OFFLINE_ROWS
        .run(conn, List.copyOf(keys))
        .compose(
            rows -> {
              Set<OfflineKey> neverGiven =
                  offlineKeys(
                      rows.stream()
                          .filter(row -> row.getInteger("state") == SqlDialect.NEVER_GIVEN)
                          .toList());
              Set<OfflineKey> unclaimed = new HashSet<>(neverGiven);
              for (MarkGiven mark : marks) {
                Set<Long> changed = new LinkedHashSet<>();
                mark.keys.stream()
                    .filter(unclaimed::remove)
                    .forEach(key -> changed.add(key.msgid()));
                mark.result(changed);
              }
              if (neverGiven.isEmpty()) {
                return Future.succeededFuture();
              }
              return MARK_GIVEN
                  .run(conn, List.copyOf(neverGiven))
                  .compose(
                      v ->
                          delivered(
                              conn,
                              rows.stream()
                                  .filter(row -> row.getInteger("state") == SqlDialect.NEVER_GIVEN)
                                  .toList()));
            });
  }

  /**
   * Moves the delivered position of each receiver's conversation with the sender to the highest C2C
   * message of {@code rows} (locked offline rows) that a terminal of the receiver got; a sync copy
   * is no delivery.
   */
  private static Future<Void> delivered(SqlConnection conn, List<Row> rows) {
    Map<List<String>, Long> highest = new LinkedHashMap<>();
    for (Row row : rows) {
      String addressed = row.getString("addressed_uid");
      String inbox = row.getString("to_uid");
      if (Kind.C2C.wire().equals(row.getString("kind"))
          && (addressed == null || addressed.equals(inbox))) {
        highest.merge(List.of(inbox, row.getString("from_uid")), row.getLong("msgid"), Math::max);
      }
    }
    if (highest.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Delivered> moves = new ArrayList<>(highest.size());
    highest.forEach((pair, msgid) -> moves.add(new Delivered(pair.get(0), pair.get(1), msgid)));
    return DELIVERED.run(conn, moves).mapEmpty();
  }

  /**
   * Moves the last msgid of each conversation that {@code history} adds to: one upsert per
   * conversation, with its newest row, in the transaction of the history rows.
   */
  private static Future<Void> last(SqlConnection conn, List<HistoryRow> history) {
    if (history.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<List<String>, HistoryRow> newest = new LinkedHashMap<>();
    for (HistoryRow row : history) {
      newest.merge(
          List.of(row.owner, row.peer),
          row,
          (a, b) -> a.message.msgid() >= b.message.msgid() ? a : b);
    }
    return LAST.run(conn, List.copyOf(newest.values())).mapEmpty();
  }

  /**
   * One mark after the other, so that two marks of one conversation in a batch see each other: each
   * reads the position with its lock, and moves it only forward.
   */
  private static Future<Void> markRead(SqlConnection conn, List<MarkRead> marks) {
    Future<Void> chain = Future.succeededFuture();
    for (MarkRead mark : marks) {
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(LOCK_READ)
                      .execute(Tuple.of(mark.owner, mark.peer))
                      .compose(
                          rows -> {
                            long read =
                                rows.size() == 0 ? 0 : rows.iterator().next().getLong("read_upto");
                            if (mark.upto <= read) {
                              mark.result(new MessageStore.ReadMark(read, false));
                              return Future.succeededFuture();
                            }
                            return conn.preparedQuery(MARK_READ)
                                .execute(Tuple.of(mark.owner, mark.peer, mark.upto))
                                .map(
                                    done -> {
                                      mark.result(new MessageStore.ReadMark(mark.upto, true));
                                      return null;
                                    });
                          }));
    }
    return chain;
  }

  private static Set<OfflineKey> offlineKeys(List<Row> rows) {
    Set<OfflineKey> keys = new LinkedHashSet<>();
    for (Row row : rows) {
      keys.add(
          new OfflineKey(
              row.getString("to_uid"), row.getInteger("to_appcode"), row.getLong("msgid")));
    }
    return keys;
  }

  private static Future<Void> purge(SqlConnection conn, List<Purge> purges) {
    Future<Void> chain = Future.succeededFuture();
    for (Purge purge : purges) {
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(purge.sql)
                      .execute(Tuple.of(purge.before, purge.limit))
                      .map(
                          deleted -> {
                            purge.result(deleted.rowCount());
                            return null;
                          }));
    }
    return chain;
  }

  /**
   * The requests of the batch that would take a receiver past {@code offlineMaxPerUser} waiting
   * offline rows, each with its {@link OfflineQuotaException}; none when there is no limit. One
   * grouped count over the primary key's {@code (to_uid, to_appcode)} prefix for the batch's
   * receivers, then room is given in arrival order, a request all or nothing (an S2C to several
   * receivers is stored whole or not at all). A C2C duplicate counts as new here: it is refused
   * only if it is not a resend ({@link #resendsOverQuota}).
   *
   * <p>The count is of committed rows, without locks: two nodes writing to one MySQL shard at once
   * may each give the last places, so a receiver can pass the limit by up to the writes of one
   * batch per node. Locking the receiver's rows was rejected: a C2C would then wait for every other
   * write to the same receiver on every node.
   */
  private static Future<Map<GroupCommit.Request<?>, OfflineQuotaException>> admit(
      SqlConnection conn, int offlineMaxPerUser, List<GroupCommit.Request<?>> requests) {
    if (offlineMaxPerUser == 0) {
      return Future.succeededFuture(Map.of());
    }
    Map<GroupCommit.Request<?>, List<Message>> rowsOf = new LinkedHashMap<>();
    Map<GroupCommit.Request<?>, Copies> copiesOf = new LinkedHashMap<>();
    Set<Receiver> receivers = new LinkedHashSet<>();
    for (GroupCommit.Request<?> request : requests) {
      List<Message> rows = offlineRowsOf(request);
      if (!rows.isEmpty()) {
        rowsOf.put(request, rows);
        rows.forEach(message -> receivers.add(Receiver.of(message)));
      }
      Copies copies = copiesOf(request);
      if (copies != null && !copies.rows.isEmpty()) {
        copiesOf.put(request, copies);
        copies.rows.forEach(message -> receivers.add(Receiver.of(message)));
      }
    }
    if (receivers.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return COUNT_OFFLINE
        .run(conn, List.copyOf(receivers))
        .map(
            counted -> {
              Map<Receiver, Long> waiting = new HashMap<>();
              for (Row row : counted) {
                waiting.put(
                    new Receiver(row.getString("to_uid"), row.getInteger("to_appcode")),
                    row.getLong("waiting"));
              }
              Map<GroupCommit.Request<?>, OfflineQuotaException> refused = new HashMap<>();
              rowsOf.forEach(
                  (request, rows) -> {
                    Map<Receiver, Long> after = new HashMap<>();
                    for (Message message : rows) {
                      Receiver receiver = Receiver.of(message);
                      long count =
                          after.getOrDefault(receiver, waiting.getOrDefault(receiver, 0L)) + 1;
                      if (count > offlineMaxPerUser) {
                        refused.put(
                            request,
                            new OfflineQuotaException(
                                receiver.uid(), receiver.appcode(), offlineMaxPerUser));
                        return;
                      }
                      after.put(receiver, count);
                    }
                    waiting.putAll(after);
                  });
              copiesOf.forEach(
                  (request, copies) -> {
                    if (!refused.containsKey(request)) {
                      copies.rows.removeIf(
                          copy -> {
                            Receiver receiver = Receiver.of(copy);
                            long count = waiting.getOrDefault(receiver, 0L) + 1;
                            if (count > offlineMaxPerUser) {
                              return true;
                            }
                            waiting.put(receiver, count);
                            return false;
                          });
                    }
                  });
              return refused;
            });
  }

  /**
   * Keeps, of the candidate copies of the batch's C2C messages, those whose terminal is recorded:
   * one lookup of {@code user_terminal} for the batch.
   */
  private static Future<Void> terminals(SqlConnection conn, List<GroupCommit.Request<?>> requests) {
    List<Copies> all = new ArrayList<>();
    Set<Receiver> wanted = new LinkedHashSet<>();
    for (GroupCommit.Request<?> request : requests) {
      Copies copies = copiesOf(request);
      if (copies != null) {
        copies.found = List.of();
        copies.rows = new ArrayList<>();
        if (!copies.candidates.isEmpty()) {
          all.add(copies);
          copies.candidates.stream()
              .filter(copy -> !copies.keptUnrecorded(copy))
              .forEach(copy -> wanted.add(Receiver.of(copy)));
        }
      }
    }
    return (wanted.isEmpty()
            ? Future.succeededFuture(List.<Row>of())
            : SELECT_TERMINALS.run(conn, List.copyOf(wanted)))
        .map(
            rows -> {
              Set<Receiver> recorded = new HashSet<>();
              rows.forEach(
                  row ->
                      recorded.add(new Receiver(row.getString("uid"), row.getInteger("appcode"))));
              for (Copies copies : all) {
                copies.found =
                    copies.candidates.stream()
                        .filter(
                            copy ->
                                copies.keptUnrecorded(copy) || recorded.contains(Receiver.of(copy)))
                        .toList();
                copies.rows = new ArrayList<>(copies.found);
              }
              return null;
            });
  }

  /** The copies for other terminals {@code request} would insert, or null. */
  private static Copies copiesOf(GroupCommit.Request<?> request) {
    if (request instanceof Accept accept) {
      return accept.copies;
    }
    if (request instanceof ReceiverCopy copy) {
      return copy.copies;
    }
    return SqlGroupMessages.copiesOf(request);
  }

  /** The offline rows {@code request} would insert, copies for other terminals aside. */
  private static List<Message> offlineRowsOf(GroupCommit.Request<?> request) {
    if (request instanceof Accept accept && !accept.senderSideOnly) {
      return List.of(accept.message);
    }
    if (request instanceof ReceiverCopy copy) {
      return List.of(copy.message);
    }
    if (request instanceof StoreOffline store) {
      return store.messages;
    }
    return List.of();
  }

  /**
   * C2C requests over their receiver's quota: those that resend an accepted cmid get the first
   * message's answer, as any resend; the others are refused.
   */
  private static Future<Void> resendsOverQuota(
      SqlConnection conn, Map<Accept, OfflineQuotaException> overQuota) {
    if (overQuota.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<DedupKey> keys = new LinkedHashSet<>();
    overQuota.keySet().forEach(accept -> keys.add(accept.key));
    return DedupKey.lockStored(conn, List.copyOf(keys))
        .map(
            stored -> {
              overQuota.forEach(
                  (accept, refusal) -> {
                    Row row = stored.get(accept.key);
                    if (row == null) {
                      accept.refuse(refusal);
                    } else {
                      accept.result(
                          new MessageStore.Accepted(
                              row.getLong("msgid"), row.getLong("senddate"), true));
                    }
                  });
              return null;
            });
  }

  /**
   * Inserts the dedup row of each distinct cmid, then reads back which msgid each one holds: the
   * request's own when it is new (it is then fresh and gets history and offline rows), the first
   * accepted one's when the cmid was seen before — in an earlier batch, on another node, or earlier
   * in this batch, whose later requests of the same cmid are duplicates of the first.
   *
   * @return the fresh requests
   */
  private static Future<List<Accept>> dedup(SqlConnection conn, List<Accept> accepts) {
    if (accepts.isEmpty()) {
      return Future.succeededFuture(new ArrayList<>());
    }
    Map<DedupKey, List<Accept>> byKey = new LinkedHashMap<>();
    for (Accept accept : accepts) {
      byKey.computeIfAbsent(accept.key, key -> new ArrayList<>(1)).add(accept);
    }
    List<Accept> firsts = new ArrayList<>(byKey.size());
    byKey.values().forEach(sameKey -> firsts.add(sameKey.get(0)));
    return INSERT_DEDUP
        .insert(conn, firsts)
        .compose(v -> DedupKey.lockStored(conn, List.copyOf(byKey.keySet())))
        .map(
            stored -> {
              List<Accept> fresh = new ArrayList<>();
              byKey.forEach(
                  (key, sameKey) -> {
                    Row row = stored.get(key);
                    if (row == null) {
                      throw new IllegalStateException(
                          "send_dedup has no row for " + key + " right after inserting it");
                    }
                    long msgid = row.getLong("msgid");
                    long senddate = row.getLong("senddate");
                    Accept first = sameKey.get(0);
                    boolean firstIsNew = msgid == first.message.msgid();
                    if (firstIsNew) {
                      fresh.add(first);
                    }
                    for (Accept accept : sameKey) {
                      boolean isNew = firstIsNew && accept == first;
                      accept.result(
                          new MessageStore.Accepted(
                              msgid, senddate, !isNew, isNew ? accept.copies.found : List.of()));
                    }
                  });
              return fresh;
            });
  }

  /**
   * The clause of history and offline inserts: leaves a row that holds the same message as it is,
   * and changes one that holds another message (see the class comment).
   *
   * @param logidIgnored SQL over the stored row: true for a receiver's row of a C2C message
   * @implNote {@code VALUES(column)} rather than MySQL 8's row alias, which MariaDB and H2 lack
   *     (MySQL 8.0.20 and later accept it with a deprecation warning); {@code CASE} rather than
   *     {@code IF}, which H2 refuses there.
   */
  static String onDuplicateUnlessAnotherMessage(String logidIgnored) {
    return " ON DUPLICATE KEY UPDATE senddate = CASE WHEN from_uid = VALUES(from_uid)"
        + " AND from_appcode = VALUES(from_appcode) AND ("
        + logidIgnored
        + " OR logid = VALUES(logid)) THEN senddate ELSE senddate + 1 END";
  }

  /**
   * The insert of history or offline rows, which fails with {@link MsgidConflictException} when a
   * key holds another message (see the class comment).
   *
   * @param logidIgnored whether a row to insert is a receiver's row of a C2C message
   * @param selectSender reads the sender and logid of the row under {@code key}
   * @param row names the table and the key but for the msgid, for the conflict's message
   */
  record CheckedInsert<T>(
      MultiRowStatement<T> insert,
      Predicate<T> logidIgnored,
      String selectSender,
      Function<T, Tuple> key,
      Function<T, String> row,
      Function<T, Message> message) {

    Future<Void> run(SqlConnection conn, List<T> rows) {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      return insert
          .insert(conn, rows)
          .compose(
              changed -> changed.isEmpty() ? Future.succeededFuture() : conflict(conn, changed));
    }

    /**
     * Fails with the conflict among {@code changed}, the rows of statements that changed a stored
     * row; and fails anyway, to undo the change, should none of them differ.
     */
    private Future<Void> conflict(SqlConnection conn, List<T> changed) {
      Future<Void> chain = Future.succeededFuture();
      for (T item : changed) {
        chain =
            chain.compose(
                v ->
                    conn.preparedQuery(selectSender)
                        .execute(key.apply(item))
                        .compose(stored -> compare(item, stored.iterator().next())));
      }
      return chain.compose(
          v ->
              Future.failedFuture(
                  new IllegalStateException(
                      "an insert changed a row of "
                          + row.apply(changed.get(0))
                          + " that holds the same message")));
    }

    private Future<Void> compare(T item, Row stored) {
      Message refused = message.apply(item);
      Sender storedSender =
          new Sender(
              stored.getString("from_uid"),
              stored.getInteger("from_appcode"),
              stored.getString("logid"));
      Sender refusedSender = new Sender(refused.fromUid(), refused.fromAppcode(), refused.logid());
      if (storedSender.sameMessage(refusedSender, logidIgnored.test(item))) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(
          new MsgidConflictException(
              row.apply(item), refused.msgid(), storedSender.toString(), refusedSender.toString()));
    }
  }

  /** What tells two messages under one key apart. */
  private record Sender(String uid, int appcode, String logid) {
    boolean sameMessage(Sender other, boolean logidIgnored) {
      return uid.equals(other.uid)
          && appcode == other.appcode
          && (logidIgnored || logid.equals(other.logid));
    }

    @Override
    public String toString() {
      return "from \"" + uid + "\"/" + appcode + ", logid \"" + logid + "\"";
    }
  }

  /**
   * An offline row's columns: keyed by the copy's inbox, with the message's own receiver in {@code
   * addressed_uid} and {@code addressed_appcode} on a copy for another terminal (NULL otherwise),
   * and a group message's group in {@code group_id} (NULL otherwise).
   */
  private static void bindOffline(Message message, Tuple tuple) {
    bindColumns(message, message.inboxUid(), message.inboxAppcode(), tuple);
    tuple
        .addValue(message.addressed() ? null : message.toUid())
        .addValue(message.addressed() ? null : message.toAppcode())
        .addValue(message.groupId());
  }

  /** A history row's columns, keyed by the message's receiver. */
  private static void bindMessage(Message message, Tuple tuple) {
    bindColumns(message, message.toUid(), message.toAppcode(), tuple);
  }

  /**
   * The message's columns in the order the offline and the history tables share, under the receiver
   * {@code (uid, appcode)} the row is keyed by.
   */
  static void bindColumns(Message message, String uid, int appcode, Tuple tuple) {
    tuple
        .addLong(message.msgid())
        .addString(uid)
        .addInteger(appcode)
        .addString(message.fromUid())
        .addInteger(message.fromAppcode())
        .addLong(message.senddate())
        .addString(message.content())
        .addString(message.kind().wire())
        .addInteger(message.msgtype())
        .addString(message.logid());
  }
}
