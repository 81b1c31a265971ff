package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of one group commit: the write requests of a batch, run in one transaction with a fixed number of
 * statements whatever the batch size, except one per {@link RemoveUpTo}.
 *
 * <p>The order is removals, dedup purge, C2C dedup, history rows, offline rows. The requests of a batch were
 * all pending at once, so any order is one in which they could have arrived; this one lets each kind be
 * one statement. A removal therefore never deletes a row that is inserted by the same batch.
 *
 * <p>Every insert is {@code ON DUPLICATE KEY UPDATE senddate = senddate}, a no-op for a row that is already
 * there, so that any write can be retried. {@code INSERT IGNORE} was rejected: MySQL then also turns other
 * errors (a value too long, a NULL) into warnings and stores something else.
 *
 * <p>Results come from rows read back ({@code SELECT ... FOR UPDATE}) or from single statements, never from
 * the update counts of {@code executeBatch}: the JDBC client and the reactive MySQL client shape those
 * differently, and Connector/J reports no counts at all with {@code rewriteBatchedStatements}. The locking
 * read sees rows committed by another node's store on the same MySQL database, whatever the isolation level.
 */
final class WriteBatch {
  private static final String DELETE_OFFLINE_UP_TO =
    "DELETE FROM offline_message WHERE to_uid = ? AND to_appcode = ? AND msgid <= ?";
  private static final String SELECT_OFFLINE_KEYS =
    "SELECT to_uid, to_appcode, msgid FROM offline_message WHERE (to_uid, to_appcode, msgid) IN ";
  private static final String DELETE_OFFLINE_KEYS =
    "DELETE FROM offline_message WHERE (to_uid, to_appcode, msgid) IN ";
  private static final String PURGE_DEDUP = "DELETE FROM send_dedup WHERE senddate < ? LIMIT ?";
  private static final String INSERT_DEDUP =
    "INSERT INTO send_dedup (from_uid, from_appcode, cmid, msgid, senddate) VALUES (?, ?, ?, ?, ?)"
      + " ON DUPLICATE KEY UPDATE senddate = senddate";
  private static final String SELECT_DEDUP =
    "SELECT from_uid, from_appcode, cmid, msgid, senddate FROM send_dedup WHERE (from_uid, from_appcode, cmid) IN ";
  private static final String INSERT_HISTORY =
    "INSERT INTO user_message (owner_uid, peer_uid, msgid, to_uid, to_appcode, from_uid, from_appcode, senddate,"
      + " msgcontent, kind, msgtype, logid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON DUPLICATE KEY UPDATE senddate = senddate";
  private static final String INSERT_OFFLINE =
    "INSERT INTO offline_message (msgid, to_uid, to_appcode, from_uid, from_appcode, senddate, msgcontent, kind,"
      + " msgtype, logid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE senddate = senddate";

  private WriteBatch() {
  }

  /**
   * {@link MessageStore#acceptC2c}, with all its rows; or, when {@code senderSideOnly}, only the rows that live
   * on the sender's shard (dedup and the sender's history row), the receiver's being a {@link ReceiverCopy}
   * on another shard.
   */
  static final class Accept extends GroupCommit.Request<MessageStore.Accepted> {
    private final Message message;
    private final DedupKey key;
    private final boolean senderSideOnly;

    Accept(Message message, String cmid, boolean senderSideOnly) {
      this.message = message;
      this.key = new DedupKey(message.fromUid(), message.fromAppcode(), cmid);
      this.senderSideOnly = senderSideOnly;
    }
  }

  /** The rows of a C2C message that live on the receiver's shard: its history row and the offline row. */
  static final class ReceiverCopy extends GroupCommit.Request<Void> {
    private final Message message;

    ReceiverCopy(Message message) {
      this.message = message;
    }
  }

  /** {@link MessageStore#storeOffline}. */
  static final class StoreOffline extends GroupCommit.Request<Void> {
    private final List<Message> messages;

    StoreOffline(List<Message> messages) {
      this.messages = messages;
    }
  }

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

  /** Deletes up to {@code limit} dedup rows sent before {@code before}; the result is how many. */
  static final class PurgeDedup extends GroupCommit.Request<Integer> {
    private final long before;
    private final int limit;

    PurgeDedup(long before, int limit) {
      this.before = before;
      this.limit = limit;
    }
  }

  private record DedupKey(String fromUid, int fromAppcode, String cmid) {
  }

  private record OfflineKey(String uid, int appcode, long msgid) {
  }

  /** Runs {@code requests} on {@code conn}, inside the transaction the caller opened, and sets their results. */
  static Future<Void> run(SqlConnection conn, List<GroupCommit.Request<?>> requests) {
    List<RemoveUpTo> upTos = new ArrayList<>();
    List<RemoveOne> ones = new ArrayList<>();
    List<PurgeDedup> purges = new ArrayList<>();
    List<Accept> accepts = new ArrayList<>();
    List<Message> receiverCopies = new ArrayList<>();
    List<Message> offline = new ArrayList<>();
    for (GroupCommit.Request<?> request : requests) {
      if (request instanceof RemoveUpTo upTo) {
        upTos.add(upTo);
      } else if (request instanceof RemoveOne one) {
        ones.add(one);
      } else if (request instanceof PurgeDedup purge) {
        purges.add(purge);
      } else if (request instanceof Accept accept) {
        accepts.add(accept);
      } else if (request instanceof ReceiverCopy copy) {
        receiverCopies.add(copy.message);
      } else {
        offline.addAll(((StoreOffline) request).messages);
      }
    }
    return removeUpTo(conn, upTos)
      .compose(v -> removeOnes(conn, ones))
      .compose(v -> purge(conn, purges))
      .compose(v -> dedup(conn, accepts))
      .compose(fresh -> {
        List<Tuple> history = new ArrayList<>();
        List<Message> offlineRows = new ArrayList<>();
        for (Accept accept : fresh) {
          Message message = accept.message;
          history.add(historyRow(message.fromUid(), message.toUid(), message));
          if (!accept.senderSideOnly && !message.fromUid().equals(message.toUid())) {
            history.add(historyRow(message.toUid(), message.fromUid(), message));
          }
          if (!accept.senderSideOnly) {
            offlineRows.add(message);
          }
        }
        for (Message message : receiverCopies) {
          history.add(historyRow(message.toUid(), message.fromUid(), message));
          offlineRows.add(message);
        }
        offlineRows.addAll(offline);
        return insertHistory(conn, history).compose(v -> insertOffline(conn, offlineRows));
      });
  }

  /** One statement each: the count of each is its own, and several may cover the same receiver. */
  private static Future<Void> removeUpTo(SqlConnection conn, List<RemoveUpTo> removals) {
    Future<Void> chain = Future.succeededFuture();
    for (RemoveUpTo removal : removals) {
      chain = chain.compose(v -> conn.preparedQuery(DELETE_OFFLINE_UP_TO)
        .execute(Tuple.of(removal.uid, removal.appcode, removal.upto))
        .map(deleted -> {
          removal.result(deleted.rowCount());
          return null;
        }));
    }
    return chain;
  }

  /** Reads which rows exist, deletes them; of two removals of one row, the first one removed it. */
  private static Future<Void> removeOnes(SqlConnection conn, List<RemoveOne> removals) {
    if (removals.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<OfflineKey> keys = new LinkedHashSet<>();
    removals.forEach(removal -> keys.add(removal.key));
    return conn.preparedQuery(SELECT_OFFLINE_KEYS + placeholders(keys.size(), 3) + " FOR UPDATE")
      .execute(offlineKeys(keys))
      .compose(rows -> {
        Set<OfflineKey> present = new HashSet<>();
        for (Row row : rows) {
          present.add(new OfflineKey(row.getString("to_uid"), row.getInteger("to_appcode"), row.getLong("msgid")));
        }
        Set<OfflineKey> unclaimed = new HashSet<>(present);
        removals.forEach(removal -> removal.result(unclaimed.remove(removal.key)));
        if (present.isEmpty()) {
          return Future.succeededFuture();
        }
        return conn.preparedQuery(DELETE_OFFLINE_KEYS + placeholders(present.size(), 3))
          .execute(offlineKeys(present))
          .mapEmpty();
      });
  }

  private static Future<Void> purge(SqlConnection conn, List<PurgeDedup> purges) {
    Future<Void> chain = Future.succeededFuture();
    for (PurgeDedup purge : purges) {
      chain = chain.compose(v -> conn.preparedQuery(PURGE_DEDUP).execute(Tuple.of(purge.before, purge.limit))
        .map(deleted -> {
          purge.result(deleted.rowCount());
          return null;
        }));
    }
    return chain;
  }

  /**
   * Inserts the dedup row of each distinct cmid, then reads back which msgid each one holds: the request's
   * own when it is new (it is then fresh and gets history and offline rows), the first accepted one's when
   * the cmid was seen before — in an earlier batch, on another node, or earlier in this batch, whose later
   * requests of the same cmid are duplicates of the first.
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
    List<Tuple> rows = new ArrayList<>(byKey.size());
    Tuple keys = Tuple.tuple();
    for (List<Accept> sameKey : byKey.values()) {
      Accept first = sameKey.get(0);
      rows.add(Tuple.of(first.key.fromUid, first.key.fromAppcode, first.key.cmid, first.message.msgid(),
        first.message.senddate()));
      keys.addString(first.key.fromUid).addInteger(first.key.fromAppcode).addString(first.key.cmid);
    }
    return conn.preparedQuery(INSERT_DEDUP).executeBatch(rows)
      .compose(v -> conn.preparedQuery(SELECT_DEDUP + placeholders(byKey.size(), 3) + " FOR UPDATE").execute(keys))
      .map(found -> {
        Map<DedupKey, Row> stored = new HashMap<>();
        for (Row row : found) {
          stored.put(new DedupKey(row.getString("from_uid"), row.getInteger("from_appcode"), row.getString("cmid")), row);
        }
        List<Accept> fresh = new ArrayList<>();
        byKey.forEach((key, sameKey) -> {
          Row row = stored.get(key);
          if (row == null) {
            throw new IllegalStateException("send_dedup has no row for " + key + " right after inserting it");
          }
          long msgid = row.getLong("msgid");
          long senddate = row.getLong("senddate");
          Accept first = sameKey.get(0);
          boolean firstIsNew = msgid == first.message.msgid();
          if (firstIsNew) {
            fresh.add(first);
          }
          for (Accept accept : sameKey) {
            accept.result(new MessageStore.Accepted(msgid, senddate, !(firstIsNew && accept == first)));
          }
        });
        return fresh;
      });
  }

  private static Future<Void> insertHistory(SqlConnection conn, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(INSERT_HISTORY).executeBatch(rows).mapEmpty();
  }

  private static Tuple historyRow(String owner, String peer, Message message) {
    return Tuple.of(owner, peer, message.msgid(), message.toUid(), message.toAppcode(), message.fromUid(),
      message.fromAppcode(), message.senddate(), message.content(), message.kind().wire(), message.msgtype(),
      message.logid());
  }

  private static Future<Void> insertOffline(SqlConnection conn, List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(messages.size());
    for (Message message : messages) {
      rows.add(Tuple.of(message.msgid(), message.toUid(), message.toAppcode(), message.fromUid(),
        message.fromAppcode(), message.senddate(), message.content(), message.kind().wire(), message.msgtype(),
        message.logid()));
    }
    return conn.preparedQuery(INSERT_OFFLINE).executeBatch(rows).mapEmpty();
  }

  private static Tuple offlineKeys(Set<OfflineKey> keys) {
    Tuple tuple = Tuple.tuple();
    for (OfflineKey key : keys) {
      tuple.addString(key.uid).addInteger(key.appcode).addLong(key.msgid);
    }
    return tuple;
  }

  /** {@code ((?, ?, ?), (?, ?, ?))} for {@code rows} = 2, {@code width} = 3: a row-value IN list. */
  private static String placeholders(int rows, int width) {
    String row = "(" + "?, ".repeat(width - 1) + "?)";
    StringBuilder sql = new StringBuilder(rows * (row.length() + 2) + 2).append('(');
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    return sql.append(')').toString();
  }
}
