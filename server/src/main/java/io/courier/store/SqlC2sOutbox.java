package io.courier.store;

import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.C2sMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link C2sOutbox} on one MySQL or MariaDB database (a shard), in two tables of its own, created
 * when missing:
 *
 * <ul>
 *   <li>{@code c2s_outbox}: a waiting message per row; {@code seq} (auto-increment) orders a queue,
 *       {@code (from_uid, from_appcode, msgtype, seq)} finds its head, {@code msgid} is unique (a
 *       resend is not stored twice), {@code lease_until} is the claim of a node that hands it over
 *       (ms since the epoch; 0: none).
 *   <li>{@code c2s_dedup}: the first msgid and senddate of each {@code (from_uid, from_appcode,
 *       cmid)}.
 * </ul>
 *
 * <p>Identifiers are {@code VARBINARY}: they compare byte for byte, as the message store's do after
 * its version 2, without a collation to convert. The tables stand outside the message store's
 * {@code schema_version}: their statements are idempotent, and a change to them will get a version
 * row of its own.
 *
 * @implNote The cap per sender is read by a {@code COUNT(*)} over the queue index before the
 *     insert, outside a transaction: concurrent stores of one sender may pass it by their number.
 *     Rejected: a counter row per sender, one more write per message and a hot row.
 */
final class SqlC2sOutbox implements C2sOutbox {
  private static final String OUTBOX =
      """
      CREATE TABLE IF NOT EXISTS c2s_outbox (
        seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        from_uid VARBINARY(256) NOT NULL,
        from_appcode INT NOT NULL,
        msgtype INT NOT NULL,
        msgid BIGINT NOT NULL,
        senddate BIGINT NOT NULL,
        lease_until BIGINT NOT NULL DEFAULT 0,
        message MEDIUMTEXT NOT NULL,
        UNIQUE KEY c2s_outbox_msgid (msgid),
        KEY c2s_outbox_queue (from_uid, from_appcode, msgtype, seq),
        KEY c2s_outbox_senddate (senddate)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin""";
  private static final String DEDUP =
      """
      CREATE TABLE IF NOT EXISTS c2s_dedup (
        from_uid VARBINARY(256) NOT NULL,
        from_appcode INT NOT NULL,
        cmid VARBINARY(256) NOT NULL,
        msgid BIGINT NOT NULL,
        senddate BIGINT NOT NULL,
        PRIMARY KEY (from_uid, from_appcode, cmid),
        KEY c2s_dedup_senddate (senddate)
      ) ENGINE=InnoDB""";
  private static final String REMEMBER =
      "INSERT IGNORE INTO c2s_dedup (from_uid, from_appcode, cmid, msgid, senddate)"
          + " VALUES (?, ?, ?, ?, ?)";
  private static final String REMEMBERED =
      "SELECT msgid, senddate FROM c2s_dedup WHERE from_uid = ? AND from_appcode = ? AND cmid = ?";
  private static final String HAS_WAITING =
      "SELECT 1 FROM c2s_outbox WHERE from_uid = ? AND from_appcode = ? AND msgtype = ? LIMIT 1";
  private static final String SENDER_WAITING =
      "SELECT COUNT(*) AS n, COALESCE(SUM(msgid = ?), 0) AS mine FROM c2s_outbox"
          + " WHERE from_uid = ? AND from_appcode = ?";
  private static final String STORE =
      "INSERT IGNORE INTO c2s_outbox (from_uid, from_appcode, msgtype, msgid, senddate, message)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String HEADS =
      "SELECT o.seq, o.message FROM c2s_outbox o JOIN (SELECT MIN(seq) AS seq FROM c2s_outbox"
          + " GROUP BY from_uid, from_appcode, msgtype) h ON o.seq = h.seq"
          + " WHERE o.lease_until < ? ORDER BY o.seq LIMIT ?";
  private static final String CLAIM =
      "UPDATE c2s_outbox SET lease_until = ? WHERE seq = ? AND lease_until < ?";
  private static final String RELEASE = "UPDATE c2s_outbox SET lease_until = 0 WHERE seq = ?";
  private static final String REMOVE = "DELETE FROM c2s_outbox WHERE seq = ?";
  private static final String PURGE_OUTBOX =
      "DELETE FROM c2s_outbox WHERE senddate < ? ORDER BY senddate LIMIT ?";
  private static final String PURGE_DEDUP =
      "DELETE FROM c2s_dedup WHERE senddate < ? ORDER BY senddate LIMIT ?";
  private static final int PURGE_BATCH = 1_000;

  private final Pool pool;

  /**
   * @param pool this outbox's own connections to the shard, closed by {@link #close()}
   */
  SqlC2sOutbox(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> open() {
    return pool.query(OUTBOX).execute().compose(done -> pool.query(DEDUP).execute()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  @Override
  public Future<Remembered> remember(
      String fromUid, int fromAppcode, String cmid, long msgid, long senddate) {
    return pool.preparedQuery(REMEMBER)
        .execute(Tuple.of(fromUid, fromAppcode, cmid, msgid, senddate))
        .compose(
            inserted -> {
              if (inserted.rowCount() == 1) {
                return Future.succeededFuture(new Remembered(msgid, senddate, false));
              }
              return pool.preparedQuery(REMEMBERED)
                  .execute(Tuple.of(fromUid, fromAppcode, cmid))
                  .map(
                      rows -> {
                        Row first = rows.iterator().next();
                        return new Remembered(
                            first.getLong("msgid"), first.getLong("senddate"), true);
                      });
            });
  }

  @Override
  public Future<Boolean> hasWaiting(String fromUid, int fromAppcode, int msgtype) {
    return pool.preparedQuery(HAS_WAITING)
        .execute(Tuple.of(fromUid, fromAppcode, msgtype))
        .map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Boolean> store(C2sMessage message, int maxPerSender) {
    return pool.preparedQuery(SENDER_WAITING)
        .execute(Tuple.of(message.msgid(), message.fromUid(), message.fromAppcode()))
        .compose(
            rows -> {
              Row waiting = rows.iterator().next();
              if (waiting.getLong("mine") > 0) {
                return Future.succeededFuture(false);
              }
              if (maxPerSender > 0 && waiting.getLong("n") >= maxPerSender) {
                return Future.failedFuture(
                    new C2sOutboxFullException(
                        message.fromUid(), message.fromAppcode(), maxPerSender));
              }
              return pool.preparedQuery(STORE)
                  .execute(
                      Tuple.of(
                          message.fromUid(),
                          message.fromAppcode(),
                          message.msgtype(),
                          message.msgid(),
                          message.senddate(),
                          message.toJson().encode()))
                  .map(inserted -> inserted.rowCount() == 1);
            });
  }

  @Override
  public Future<List<Waiting>> heads(int limit, long now) {
    return pool.preparedQuery(HEADS)
        .execute(Tuple.of(now, limit))
        .compose(
            rows -> {
              List<Waiting> heads = new ArrayList<>(rows.size());
              try {
                for (Row row : rows) {
                  heads.add(
                      new Waiting(
                          row.getLong("seq"),
                          C2sMessage.fromJson(new JsonObject(row.getString("message")))));
                }
              } catch (MalformedBodyException e) {
                return Future.failedFuture(e);
              }
              return Future.succeededFuture(heads);
            });
  }

  @Override
  public Future<Boolean> claim(Waiting head, long now, long until) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(until, head.seq(), now))
        .map(updated -> updated.rowCount() == 1);
  }

  @Override
  public Future<Void> release(Waiting head) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(head.seq())).mapEmpty();
  }

  @Override
  public Future<Void> remove(Waiting head) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(head.seq())).mapEmpty();
  }

  @Override
  public Future<Integer> purge(long before) {
    return pool.preparedQuery(PURGE_OUTBOX)
        .execute(Tuple.of(before, PURGE_BATCH))
        .compose(
            messages ->
                pool.preparedQuery(PURGE_DEDUP)
                    .execute(Tuple.of(before, PURGE_BATCH))
                    .map(messages.rowCount()));
  }
}
