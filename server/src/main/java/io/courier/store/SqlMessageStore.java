package io.courier.store;

import static io.courier.store.StoreInput.checkKey;
import static io.courier.store.StoreInput.checkLimit;
import static io.courier.store.StoreInput.checkMessage;
import static io.courier.store.StoreInput.checkPage;
import static io.courier.store.StoreInput.checkPeers;
import static io.courier.store.StoreInput.checked;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on one MySQL or MariaDB database (a shard) through Vert.x's reactive SQL
 * client. The schema comes from {@link SqlDialect}.
 *
 * <p>Writes go through {@link GroupCommit} on the {@code writes} pool, one transaction at a time
 * (see {@link WriteBatch} for the SQL). Reads run in parallel on the {@code reads} pool and see
 * only committed rows. The writes pool needs one connection; the reads pool is never used for
 * transactions.
 *
 * <p>Input is checked before it is queued, against the column sizes (uids, cmids and logids of at
 * most {@value #MAX_KEY_CHARS} characters, content of at most {@value #MAX_CONTENT_CHARS}): a
 * request the database would refuse fails alone, at once, instead of failing a batch.
 *
 * <p>The dedup rows of {@code acceptC2c} are deleted {@link SqlStoreOptions#dedupRetention()} after
 * their {@code senddate}, by a purge that runs every {@link SqlStoreOptions#purgeInterval()} as one
 * more write of the queue, at most {@link SqlStoreOptions#purgeBatchRows()} rows at a time; a
 * resend of an older cmid is a new message. Offline and history rows older than their retention
 * ({@link SqlStoreOptions#offlineRetention()}, {@link SqlStoreOptions#historyRetention()}) are
 * deleted the same way, through the {@code senddate} indexes of version 3: a purged offline message
 * is gone, never delivered.
 *
 * <p>A write that would give a receiver more than {@link SqlStoreOptions#offlineMaxPerUser()}
 * offline rows fails with {@link OfflineQuotaException} and writes nothing.
 *
 * <p>Groups (docs/groups.md) are {@link SqlGroups} over this one shard: each group write is one
 * transaction of the group commit ({@link SqlGroupChanges}, {@link SqlGroupMessages}).
 *
 * <p>The store owns both pools and closes them in {@link #close()}.
 *
 * @implNote The quota is checked inside the group commit, by one grouped {@code COUNT(*)} over the
 *     primary key prefix {@code (to_uid, to_appcode)} of the batch's receivers: one statement per
 *     batch (up to {@link SqlStoreOptions#maxBatchWrites()} writes), reading only the index entries
 *     of receivers that have messages waiting; an online receiver has none or a few. A receiver at
 *     the cap costs a read of its cap entries per batch that writes to it. Rejected: a count per
 *     message before queueing (one more read round trip on the hot path), and an in-memory counter
 *     per receiver (wrong as soon as another node, an acknowledgement or the purge changes the
 *     rows, and lost on restart). Under concurrent writers to one MySQL shard the cap is soft by up
 *     to one batch per node (see {@code WriteBatch}). {@code QuotaCostMicroTest} measures the cost
 *     (docs/storage.md, 2.6).
 */
public final class SqlMessageStore implements MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqlMessageStore.class);

  private static final String MESSAGE_COLUMNS =
      "msgid, kind, from_uid, from_appcode, to_uid, to_appcode, msgtype, msgcontent, senddate, logid";
  // ORDER BY names every column of the index, not only msgid (H2, the embedded store before
  // RocksDB,
  // walked the index in order only then; MySQL walks it either way).
  // The two ranges of a PULL are one statement, each part a range of its own index: the rows never
  // given below the cursor (the given index), then those above it (the primary key). One
  // "msgid > ? OR state = 0" on the primary key was rejected: it reads every given row below the
  // cursor, all of them for a client that acknowledges only at the end of its paging.
  private static final String OFFLINE_COLUMNS =
      MESSAGE_COLUMNS + ", addressed_uid, addressed_appcode, group_id";
  private static final String PULL =
      "(SELECT "
          + OFFLINE_COLUMNS
          + " FROM offline_message"
          + " WHERE to_uid = ? AND to_appcode = ? AND state = "
          + SqlDialect.NEVER_GIVEN
          + " AND msgid <= ? ORDER BY to_uid, to_appcode, state, msgid LIMIT ?)"
          + " UNION ALL (SELECT "
          + OFFLINE_COLUMNS
          + " FROM offline_message"
          + " WHERE to_uid = ? AND to_appcode = ? AND msgid > ? ORDER BY to_uid, to_appcode, msgid LIMIT ?)";
  private static final String HISTORY =
      "SELECT "
          + MESSAGE_COLUMNS
          + " FROM user_message"
          + " WHERE owner_uid = ? AND peer_uid = ? AND msgid < ?"
          + " ORDER BY owner_uid DESC, peer_uid DESC, msgid DESC LIMIT ?";
  private static final String HAS_HISTORY =
      "SELECT msgid FROM user_message WHERE owner_uid = ? AND peer_uid = ? AND msgid = ?";
  // the page's rows, each with its last message and the peer's rows after the read position up to
  // it, in one statement: one snapshot of the owner's shard. The count walks the primary key of
  // user_message from the read position: its cost is the number of rows after it.
  private static final String CONVERSATIONS =
      "SELECT c.peer_uid, c.last_msgid, c.read_upto,"
          + " (SELECT COUNT(*) FROM user_message u WHERE u.owner_uid = c.owner_uid"
          + " AND u.peer_uid = c.peer_uid AND u.msgid > c.read_upto AND u.msgid <= c.last_msgid"
          + " AND u.from_uid <> c.owner_uid) AS unread, "
          + "m.msgid, m.kind, m.from_uid, m.from_appcode, m.to_uid, m.to_appcode, m.msgtype,"
          + " m.msgcontent, m.senddate, m.logid"
          + " FROM conversation c LEFT JOIN user_message m ON m.owner_uid = c.owner_uid"
          + " AND m.peer_uid = c.peer_uid AND m.msgid = c.last_msgid"
          + " WHERE c.owner_uid = ? AND c.last_msgid > 0 AND c.last_msgid < ?"
          + " ORDER BY c.owner_uid DESC, c.last_msgid DESC LIMIT ?";
  private static final String TERMINALS = "SELECT appcode FROM user_terminal WHERE uid = ?";
  private static final String ADD_TERMINAL =
      "INSERT INTO user_terminal (uid, appcode, since) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE since = since";
  // a join point is a msgid too: a restarted node that took a msgid below a member's join point
  // would give that member a message it does not see
  private static final String MAX_MSGID =
      "SELECT GREATEST("
          + "COALESCE((SELECT MAX(msgid) FROM offline_message), 0), "
          + "COALESCE((SELECT MAX(msgid) FROM user_message), 0), "
          + "COALESCE((SELECT MAX(msgid) FROM group_message), 0), "
          + "COALESCE((SELECT MAX(joined) FROM group_member), 0), "
          + "COALESCE((SELECT MAX(msgid) FROM send_dedup), 0)) AS max_msgid";
  private static final String INIT_VERSION =
      "INSERT INTO schema_version (id, version) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id";

  /** Longest wait for another node's migration of the same database. */
  private static final int SCHEMA_LOCK_SECONDS = 120;

  // named per database, so that shards on one server migrate in parallel
  private static final String LOCK_SCHEMA =
      "SELECT GET_LOCK(CONCAT('courier.schema.', DATABASE()), " + SCHEMA_LOCK_SECONDS + ")";
  private static final String UNLOCK_SCHEMA =
      "SELECT RELEASE_LOCK(CONCAT('courier.schema.', DATABASE()))";
  private static final String SELECT_VERSION = "SELECT version FROM schema_version WHERE id = 1";
  private static final String UPDATE_VERSION = "UPDATE schema_version SET version = ? WHERE id = 1";

  private final Vertx vertx;
  private final Pool writes;
  private final Pool reads;
  private final SqlDialect dialect;
  private final SqlStoreOptions options;
  private final GroupCommit commits;
  private final SqlGroups groups;
  private final AtomicBoolean purging = new AtomicBoolean();
  private final AtomicBoolean expiring = new AtomicBoolean();
  private volatile boolean closed;
  private long purgeTimer = -1;
  private Future<Void> closing;

  /**
   * @param writes a pool for the group commit, which uses one connection at a time
   * @param reads a pool for reads, never used for a transaction
   */
  public SqlMessageStore(
      Vertx vertx, Pool writes, Pool reads, SqlDialect dialect, SqlStoreOptions options) {
    this.vertx = vertx;
    this.writes = writes;
    this.reads = reads;
    this.dialect = dialect;
    this.options = options;
    this.commits =
        new GroupCommit(
            options.maxQueuedWrites(),
            options.maxBatchWrites(),
            batch ->
                writes.withTransaction(
                    conn -> WriteBatch.run(conn, options.offlineMaxPerUser(), batch)),
            SqlMessageStore::rolledBackByLockConflict);
    this.groups = new SqlGroups(List.of(this));
  }

  /**
   * MySQL's deadlock (1213) and lock wait timeout (1205): InnoDB rolled the transaction back
   * because another node's writer on the same shard held the rows or gaps it needed; run again, it
   * commits. Seen with three nodes writing one shard (the offline cap's count and the inserts of
   * two transactions locking gaps in opposite order), answered 503 before.
   */
  static boolean rolledBackByLockConflict(Throwable failure) {
    return failure instanceof MySQLException mysql
        && (mysql.getErrorCode() == 1213 || mysql.getErrorCode() == 1205);
  }

  @Override
  public synchronized Future<Void> open() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("message store is closed"));
    }
    return writes
        .withConnection(
            conn ->
                lockSchema(conn)
                    .compose(
                        locked ->
                            conn.query(dialect.schemaVersionTable())
                                .execute()
                                .compose(v -> conn.query(INIT_VERSION).execute())
                                .compose(v -> conn.query(SELECT_VERSION).execute())
                                .compose(
                                    rows ->
                                        migrate(conn, rows.iterator().next().getInteger("version")))
                                .eventually(() -> unlockSchema(conn))))
        .onSuccess(v -> startPurges());
  }

  /**
   * Takes the server-wide schema lock of this database for the connection, so that nodes starting
   * together migrate one after the other: each reads the version only once it holds the lock, and
   * MySQL's DDL, committed statement by statement, never runs twice at once (two nodes creating the
   * same index raced to "Duplicate key name").
   */
  private Future<Void> lockSchema(SqlConnection conn) {
    return conn.query(LOCK_SCHEMA)
        .execute()
        .compose(
            rows -> {
              Object locked = rows.iterator().next().getValue(0);
              return locked != null && ((Number) locked).intValue() == 1
                  ? Future.succeededFuture()
                  : Future.failedFuture(
                      new IllegalStateException(
                          "another node held the schema lock of this database for over "
                              + SCHEMA_LOCK_SECONDS
                              + " s"));
            });
  }

  private Future<Void> unlockSchema(SqlConnection conn) {
    return conn.query(UNLOCK_SCHEMA).execute().<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> migrate(SqlConnection conn, int from) {
    List<List<String>> migrations = dialect.migrations();
    if (from > migrations.size()) {
      return Future.failedFuture(
          new IllegalStateException(
              "the database has schema version "
                  + from
                  + ", newer than this Courier's "
                  + migrations.size()
                  + "; downgrades are not supported"));
    }
    Future<Void> chain = Future.succeededFuture();
    for (int version = from; version < migrations.size(); version++) {
      int next = version + 1;
      for (String ddl : migrations.get(version)) {
        chain = chain.compose(v -> conn.query(ddl).execute().<Void>mapEmpty());
      }
      chain =
          chain
              .compose(
                  v -> conn.preparedQuery(UPDATE_VERSION).execute(Tuple.of(next)).<Void>mapEmpty())
              .onSuccess(v -> LOG.info("message store schema migrated to version {}", next));
    }
    return chain;
  }

  private synchronized void startPurges() {
    if (!closed && purgeTimer == -1) {
      purgeTimer =
          vertx.setPeriodic(
              options.purgeInterval().toMillis(),
              id -> {
                purgeDedup();
                purgeExpired();
              });
    }
  }

  /** One retention purge at a time; one that filled a batch runs again at once. */
  private void purgeExpired() {
    if (!expiring.compareAndSet(false, true)) {
      return;
    }
    purgeExpired(System.currentTimeMillis())
        .onComplete(
            purged -> {
              expiring.set(false);
              if (purged.failed()) {
                LOG.warn(
                    "retention purge failed, next try in {}: {}",
                    options.purgeInterval(),
                    purged.cause().toString());
              } else if (purged.result() > 0) {
                LOG.debug("retention purge deleted {} offline and history rows", purged.result());
                if (purged.result() >= options.purgeBatchRows()) {
                  purgeExpired();
                }
              }
            });
  }

  @Override
  public Future<Integer> purgeExpired(long now) {
    List<Future<Integer>> purges = new ArrayList<>(3);
    if (!options.offlineRetention().isZero()) {
      purges.add(
          commits.submit(
              WriteBatch.Purge.offline(
                  now - options.offlineRetention().toMillis(), options.purgeBatchRows())));
    }
    if (!options.historyRetention().isZero()) {
      long before = now - options.historyRetention().toMillis();
      purges.add(commits.submit(WriteBatch.Purge.history(before, options.purgeBatchRows())));
      purges.add(commits.submit(WriteBatch.Purge.timeline(before, options.purgeBatchRows())));
    }
    return Future.all(purges)
        .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
  }

  /** One purge at a time; one that filled its batch runs again at once. */
  private void purgeDedup() {
    if (!purging.compareAndSet(false, true)) {
      return;
    }
    long before = System.currentTimeMillis() - options.dedupRetention().toMillis();
    commits
        .submit(WriteBatch.Purge.dedup(before, options.purgeBatchRows()))
        .onComplete(
            purged -> {
              purging.set(false);
              if (purged.failed()) {
                LOG.warn(
                    "purge of send_dedup failed, next try in {}: {}",
                    options.purgeInterval(),
                    purged.cause().toString());
              } else if (purged.result() > 0) {
                LOG.debug("purged {} send_dedup rows sent before {}", purged.result(), before);
                if (purged.result() == options.purgeBatchRows()) {
                  purgeDedup();
                }
              }
            });
  }

  @Override
  public synchronized Future<Void> close() {
    if (closing == null) {
      closed = true;
      if (purgeTimer != -1) {
        vertx.cancelTimer(purgeTimer);
      }
      closing = commits.close().eventually(writes::close).eventually(reads::close);
    }
    return closing;
  }

  @Override
  public Future<Void> ping() {
    return read("SELECT 1", Tuple.tuple()).mapEmpty();
  }

  @Override
  public Future<Long> maxMsgid() {
    return read(MAX_MSGID, Tuple.tuple()).map(rows -> rows.iterator().next().getLong("max_msgid"));
  }

  @Override
  public Future<Accepted> acceptC2c(Message message, String cmid, List<Message> candidates) {
    return accept(message, cmid, false, candidates);
  }

  /**
   * The sender's side of a C2C message whose receiver lives on another shard: the dedup row, the
   * sender's history row and the copies for the sender's other terminals ({@code syncCopies}), in
   * one transaction. See {@link ShardedMessageStore}.
   */
  Future<Accepted> recordSend(Message message, String cmid, List<Message> syncCopies) {
    return accept(message, cmid, true, syncCopies);
  }

  private Future<Accepted> accept(
      Message message, String cmid, boolean senderSideOnly, List<Message> copies) {
    return checked(
        () -> {
          checkMessage(message);
          checkKey("cmid", cmid);
          checkKey("from_uid", message.fromUid());
          copies.forEach(StoreInput::checkMessage);
        },
        () -> commits.submit(new WriteBatch.Accept(message, cmid, senderSideOnly, copies)));
  }

  /**
   * The receiver's side of a C2C message: its history row, the offline row and the copies for the
   * receiver's other terminals, in one transaction; the result is the copies whose terminal is
   * recorded.
   */
  Future<List<Message>> storeReceiverCopy(Message message, List<Message> copies) {
    return checked(
        () -> {
          checkMessage(message);
          copies.forEach(StoreInput::checkMessage);
        },
        () -> commits.submit(new WriteBatch.ReceiverCopy(message, copies)));
  }

  @Override
  public Future<Set<Integer>> terminals(String uid) {
    return checked(
        () -> checkKey("uid", uid),
        () ->
            read(TERMINALS, Tuple.of(uid))
                .map(
                    rows -> {
                      Set<Integer> appcodes = new TreeSet<>();
                      rows.forEach(row -> appcodes.add(row.getInteger("appcode")));
                      return Set.copyOf(appcodes);
                    }));
  }

  @Override
  public Future<ReadMark> markRead(String owner, String peer, long upto) {
    return checked(
        () -> {
          checkKey("owner", owner);
          checkKey("peer", peer);
        },
        () -> commits.submit(new WriteBatch.MarkRead(owner, peer, upto)));
  }

  @Override
  public Future<Map<String, Positions>> positions(String owner, Set<String> peers) {
    return ownReads(owner, peers)
        .compose(
            own ->
                peerPositions(owner, peers)
                    .map(
                        theirs -> {
                          Map<String, Positions> positions = new HashMap<>();
                          for (String peer : peers) {
                            Positions their = theirs.getOrDefault(peer, Positions.NONE);
                            positions.put(
                                peer,
                                new Positions(
                                    own.getOrDefault(peer, 0L),
                                    their.read(),
                                    their.peerDelivered()));
                          }
                          return positions;
                        }));
  }

  /** {@code owner}'s read position in its conversation with each of {@code peers} it has one. */
  Future<Map<String, Long>> ownReads(String owner, Set<String> peers) {
    return checked(
        () -> checkPeers(owner, peers),
        () -> {
          if (peers.isEmpty()) {
            return Future.succeededFuture(Map.of());
          }
          Tuple args = Tuple.of(owner);
          peers.forEach(args::addString);
          return read(
                  "SELECT peer_uid, read_upto FROM conversation WHERE owner_uid = ? AND peer_uid IN ("
                      + placeholders(peers.size())
                      + ")",
                  args)
              .map(
                  rows -> {
                    Map<String, Long> reads = new HashMap<>();
                    rows.forEach(
                        row -> reads.put(row.getString("peer_uid"), row.getLong("read_upto")));
                    return reads;
                  });
        });
  }

  /**
   * The positions of each of {@code peers} in its own conversation with {@code owner}: its read
   * position in {@link Positions#read()}, its delivered one in {@link Positions#peerDelivered()}.
   */
  Future<Map<String, Positions>> peerPositions(String owner, Set<String> peers) {
    return checked(
        () -> checkPeers(owner, peers),
        () -> {
          if (peers.isEmpty()) {
            return Future.succeededFuture(Map.of());
          }
          Tuple args = Tuple.of(owner);
          peers.forEach(args::addString);
          return read(
                  "SELECT owner_uid, read_upto, delivered_upto FROM conversation"
                      + " WHERE peer_uid = ? AND owner_uid IN ("
                      + placeholders(peers.size())
                      + ")",
                  args)
              .map(
                  rows -> {
                    Map<String, Positions> positions = new HashMap<>();
                    rows.forEach(
                        row ->
                            positions.put(
                                row.getString("owner_uid"),
                                new Positions(
                                    row.getLong("read_upto"), 0, row.getLong("delivered_upto"))));
                    return positions;
                  });
        });
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  @Override
  public Future<Conversations> conversations(String owner, long before, int limit) {
    return groups.conversations(owner, before, limit);
  }

  /**
   * {@code owner}'s two-person conversations whose last msgid is below {@code before}, newest
   * first, at most {@code count}.
   */
  Future<List<Conversation>> twoPersonConversations(String owner, long before, int count) {
    return read(CONVERSATIONS, Tuple.of(owner, before, count))
        .map(
            rows -> {
              List<Conversation> page = new ArrayList<>();
              for (Row row : rows) {
                page.add(
                    new Conversation(
                        row.getString("peer_uid"),
                        row.getLong("last_msgid"),
                        row.getLong("read_upto"),
                        row.getLong("unread"),
                        row.getValue("msgid") == null ? null : message(row)));
              }
              return page;
            });
  }

  @Override
  public Future<Void> addTerminal(String uid, int appcode, long since) {
    return checked(
        () -> checkKey("uid", uid),
        () ->
            closed
                ? Future.failedFuture(new IllegalStateException("message store is closed"))
                : writes
                    .preparedQuery(ADD_TERMINAL)
                    .execute(Tuple.of(uid, appcode, since))
                    .mapEmpty());
  }

  /**
   * Whether {@code owner} has a history row of {@code msgid} in the conversation with {@code peer}.
   */
  Future<Boolean> hasHistory(String owner, String peer, long msgid) {
    return read(HAS_HISTORY, Tuple.of(owner, peer, msgid)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Void> storeOffline(List<Message> messages) {
    return checked(
        () -> messages.forEach(StoreInput::checkMessage),
        () ->
            messages.isEmpty()
                ? Future.succeededFuture()
                : commits.submit(new WriteBatch.StoreOffline(List.copyOf(messages))));
  }

  /**
   * Reads the page, then marks it given through the group commit. Answering before the mark
   * committed was rejected: a client pages on at once, and its next PULL would find the page's rows
   * still never given below its cursor and get them again.
   */
  @Override
  public Future<Pulled> pull(String uid, int appcode, long after, int limit) {
    return checked(
        () -> {
          checkKey("uid", uid);
          checkLimit(limit);
        },
        () ->
            read(PULL, Tuple.of(uid, appcode, after, limit + 1, uid, appcode, after, limit + 1))
                .map(rows -> Page.of(ascending(rows, uid, appcode), limit))
                .compose(
                    page -> {
                      if (page.messages().isEmpty()) {
                        return Future.succeededFuture(new Pulled(List.of(), false, Set.of()));
                      }
                      List<Long> msgids = page.messages().stream().map(Message::msgid).toList();
                      return commits
                          .submit(new WriteBatch.MarkGiven(uid, appcode, msgids))
                          .map(given -> new Pulled(page.messages(), page.more(), given));
                    }));
  }

  @Override
  public Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
    return checked(
        () -> checkKey("uid", uid),
        () -> commits.submit(new WriteBatch.RemoveUpTo(uid, appcode, upto)));
  }

  @Override
  public Future<Integer> removeOfflineListed(String uid, int appcode, List<Long> msgids) {
    return checked(
        () -> {
          checkKey("uid", uid);
          checkPage("msgids", msgids);
        },
        () ->
            msgids.isEmpty()
                ? Future.succeededFuture(0)
                : commits.submit(new WriteBatch.RemoveListed(uid, appcode, msgids)));
  }

  @Override
  public Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
    return checked(
        () -> checkKey("uid", uid),
        () -> commits.submit(new WriteBatch.RemoveOne(uid, appcode, msgid)));
  }

  @Override
  public Future<Page> history(String owner, String peer, long before, int limit) {
    return checked(
        () -> {
          checkKey("owner", owner);
          checkKey("peer", peer);
          checkLimit(limit);
        },
        () ->
            read(HISTORY, Tuple.of(owner, peer, before, limit + 1))
                .map(rows -> Page.of(messages(rows), limit)));
  }

  /** Queues {@code request} for the group commit: a write of this shard. */
  <T> Future<T> write(GroupCommit.Request<T> request) {
    return commits.submit(request);
  }

  /** A read of committed rows, on the reads pool. */
  Future<RowSet<Row>> read(String sql, Tuple args) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("message store is closed"));
    }
    return reads.preparedQuery(sql).execute(args);
  }

  /**
   * The rows of a PULL of {@code (uid, appcode)}, whose two parts come in no guaranteed order,
   * ascending by msgid; a copy for another terminal reads as such ({@link Message#at}, {@link
   * Message#forMember} in a group).
   */
  private static List<Message> ascending(RowSet<Row> rows, String uid, int appcode) {
    List<Message> messages = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String addressedUid = row.getString("addressed_uid");
      String groupId = row.getString("group_id");
      Message message = message(row);
      if (groupId != null) {
        message =
            addressedUid == null
                ? message.inGroup(groupId)
                : message
                    .inGroup(groupId)
                    .forMember(addressedUid, row.getInteger("addressed_appcode"), appcode);
      } else if (addressedUid != null) {
        message =
            new Message(
                    message.msgid(),
                    message.kind(),
                    message.fromUid(),
                    message.fromAppcode(),
                    addressedUid,
                    row.getInteger("addressed_appcode"),
                    message.msgtype(),
                    message.content(),
                    message.senddate(),
                    message.logid())
                .at(uid, appcode);
      }
      messages.add(message);
    }
    messages.sort(Comparator.comparingLong(Message::msgid));
    return messages;
  }

  private static List<Message> messages(RowSet<Row> rows) {
    List<Message> messages = new ArrayList<>(rows.size());
    for (Row row : rows) {
      messages.add(message(row));
    }
    return messages;
  }

  private static Message message(Row row) {
    return new Message(
        row.getLong("msgid"),
        Kind.fromWire(row.getString("kind")),
        row.getString("from_uid"),
        row.getInteger("from_appcode"),
        row.getString("to_uid"),
        row.getInteger("to_appcode"),
        row.getInteger("msgtype"),
        row.getString("msgcontent"),
        row.getLong("senddate"),
        row.getString("logid"));
  }

  @Override
  public Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
    return groups.createGroup(groupId, title, members, joined, maxMembers);
  }

  @Override
  public Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    return groups.changeMembers(groupId, add, remove, joined, maxMembers);
  }

  @Override
  public Future<Group> closeGroup(String groupId) {
    return groups.closeGroup(groupId);
  }

  @Override
  public Future<Group> group(String groupId) {
    return groups.group(groupId);
  }

  @Override
  public Future<Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout) {
    return groups.acceptC2g(message, cmid, fanout);
  }

  @Override
  public Future<Page> groupHistory(String groupId, long after, long before, int limit) {
    return groups.groupHistory(groupId, after, before, limit);
  }

  @Override
  public Future<ReadMark> markGroupRead(String uid, String groupId, long upto) {
    return groups.markGroupRead(uid, groupId, upto);
  }
}
