package io.courier.store;

import static io.courier.store.StoreInput.checkKey;
import static io.courier.store.StoreInput.checkLimit;
import static io.courier.store.StoreInput.checkMessage;
import static io.courier.store.StoreInput.checkPage;
import static io.courier.store.StoreInput.checkPeers;
import static io.courier.store.StoreInput.checked;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on a {@link RocksDatabase}: the embedded store.
 *
 * <p>RocksDB's calls block, so none runs on an event loop. Writes go through {@link GroupCommit} to
 * one writer thread, which turns each batch into one atomic RocksDB write ({@link RocksWrites}),
 * synced when it stores a message; reads (the page of a PULL, HISTORY) run on a pool of {@value
 * #READ_THREADS} reader threads and see only committed writes. Futures complete on the caller's
 * Vert.x context. At most {@link SqlStoreOptions#maxQueuedWrites()} writes and {@value
 * #MAX_QUEUED_READS} reads wait; one more fails at once with {@link StoreOverloadedException}.
 *
 * <p>A PULL reads its page, then marks it given through the group commit, and answers after the
 * mark: the next PULL of a client that pages on at once must not find the page still never given
 * below its cursor.
 *
 * <p>Retention: every {@link SqlStoreOptions#purgeInterval()} the store deletes, as writes of the
 * group commit, at most {@link SqlStoreOptions#purgeBatchRows()} rows of a kind at a time, by a
 * range of their expiry keys: dedup rows older than {@link SqlStoreOptions#dedupRetention()},
 * offline and history rows older than their retention, group timeline rows with the history's (a
 * group's row and member rows are kept, like conversation rows); a round that deleted a full batch
 * runs again at once.
 *
 * <p>Groups (docs/groups.md): the group operations are writes of the group commit, so a message's
 * write reads the membership as every change before it left it ({@link RocksWrites}); {@link
 * #group}, {@link #groupHistory} and the list of {@link #conversations} are reads.
 */
final class RocksMessageStore implements MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(RocksMessageStore.class);

  /** Reader threads: enough to overlap a read that waits for the disk with others. */
  static final int READ_THREADS = 4;

  /** Reads that may wait for a reader thread. */
  static final int MAX_QUEUED_READS = 10_000;

  private final Vertx vertx;
  private final RocksDatabase db;
  private final RocksWrites writes;
  private final RocksConversations conversationList;
  private final SqlStoreOptions options;
  private final ExecutorService writer;
  private final ThreadPoolExecutor readers;
  private final GroupCommit commits;
  private final AtomicBoolean purgingDedup = new AtomicBoolean();
  private final AtomicBoolean expiring = new AtomicBoolean();
  private volatile boolean closed;
  private long purgeTimer = -1;
  private Future<Void> closing;

  RocksMessageStore(Vertx vertx, RocksDatabase db, SqlStoreOptions options)
      throws RocksDBException {
    this.vertx = vertx;
    this.db = db;
    this.options = options;
    this.writes = new RocksWrites(db, options.offlineMaxPerUser());
    this.conversationList = new RocksConversations(db);
    // the group commit hands it one batch at a time
    this.writer = Executors.newSingleThreadExecutor(threads("courier-store-writer"));
    this.readers =
        new ThreadPoolExecutor(
            READ_THREADS,
            READ_THREADS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_READS),
            threads("courier-store-read"));
    this.commits =
        new GroupCommit(
            options.maxQueuedWrites(),
            options.maxBatchWrites(),
            batch -> {
              Promise<Void> committed = Promise.promise();
              writer.execute(
                  () -> {
                    try {
                      writes.run(batch);
                      committed.complete();
                    } catch (RocksDBException | RuntimeException e) {
                      committed.fail(e);
                    }
                  });
              return committed.future();
            });
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public synchronized Future<Void> open() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("message store is closed"));
    }
    if (purgeTimer == -1) {
      purgeTimer =
          vertx.setPeriodic(
              options.purgeInterval().toMillis(),
              id -> {
                purgeDedup();
                purgeExpired();
              });
    }
    return Future.succeededFuture();
  }

  /**
   * Refuses new requests, lets the queued writes commit and the running reads end, writes the
   * memtables to files (so the next start replays no log), and closes the database.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closing == null) {
      closed = true;
      if (purgeTimer != -1) {
        vertx.cancelTimer(purgeTimer);
      }
      closing =
          commits
              .close()
              .compose(
                  drained -> {
                    Promise<Void> closed = Promise.promise();
                    Thread closer =
                        new Thread(
                            () -> {
                              try {
                                shutDown(readers);
                                shutDown(writer);
                                try {
                                  db.flush();
                                } finally {
                                  db.close();
                                }
                                closed.complete();
                              } catch (RocksDBException | RuntimeException e) {
                                closed.fail(e);
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                closed.fail(e);
                              }
                            },
                            "courier-store-close");
                    closer.start();
                    return closed.future();
                  });
    }
    return closing;
  }

  private static void shutDown(ExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
      throw new IllegalStateException("message store threads still busy after a minute");
    }
  }

  /** Fails when RocksDB has stopped writing after a background error (a full disk, a bad file). */
  @Override
  public Future<Void> ping() {
    return read(
        () -> {
          long errors = db.backgroundErrors();
          if (errors > 0) {
            throw new IllegalStateException(
                "the message store had " + errors + " background errors and refuses writes");
          }
          return null;
        });
  }

  @Override
  public Future<Long> maxMsgid() {
    return read(writes::maxMsgid);
  }

  @Override
  public Future<Accepted> acceptC2c(Message message, String cmid, List<Message> candidates) {
    return checked(
        () -> {
          checkMessage(message);
          checkKey("cmid", cmid);
          checkKey("from_uid", message.fromUid());
          candidates.forEach(StoreInput::checkMessage);
        },
        () -> commits.submit(new RocksWrites.Accept(message, cmid, List.copyOf(candidates))));
  }

  @Override
  public Future<Set<Integer>> terminals(String uid) {
    return checked(
        () -> checkKey("uid", uid),
        () ->
            read(
                () -> {
                  byte[] prefix = RocksKeys.terminals(uid);
                  Set<Integer> appcodes = new TreeSet<>();
                  db.scan(
                      db.terminal,
                      prefix,
                      RocksKeys.prefixEnd(prefix),
                      false,
                      (key, value) -> {
                        appcodes.add(RocksKeys.appcodeOfTerminal(key));
                        return true;
                      });
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
        () -> commits.submit(new RocksWrites.MarkRead(owner, peer, upto)));
  }

  @Override
  public Future<Map<String, Positions>> positions(String owner, Set<String> peers) {
    return checked(
        () -> checkPeers(owner, peers),
        () ->
            read(
                () -> {
                  Map<String, Positions> positions = new HashMap<>();
                  for (String peer : peers) {
                    RocksRows.Conversation own =
                        RocksRows.conversation(
                            db.get(db.conversation, RocksKeys.conversation(owner, peer)));
                    RocksRows.Conversation theirs =
                        RocksRows.conversation(
                            db.get(db.conversation, RocksKeys.conversation(peer, owner)));
                    positions.put(
                        peer, new Positions(own.read(), theirs.read(), theirs.delivered()));
                  }
                  return positions;
                }));
  }

  /** Computed by {@link RocksConversations}, whose note says how and why. */
  @Override
  public Future<Conversations> conversations(String owner, long before, int limit) {
    return checked(
        () -> {
          checkKey("owner", owner);
          checkLimit(limit);
        },
        () -> read(() -> conversationList.list(owner, before, limit)));
  }

  @Override
  public Future<Void> addTerminal(String uid, int appcode, long since) {
    return checked(
        () -> checkKey("uid", uid),
        () -> commits.submit(new RocksWrites.AddTerminal(uid, appcode, since)));
  }

  @Override
  public Future<Void> storeOffline(List<Message> messages) {
    return checked(
        () -> messages.forEach(StoreInput::checkMessage),
        () ->
            messages.isEmpty()
                ? Future.succeededFuture()
                : commits.submit(new RocksWrites.StoreOffline(List.copyOf(messages))));
  }

  @Override
  public Future<Pulled> pull(String uid, int appcode, long after, int limit) {
    return checked(
        () -> {
          checkKey("uid", uid);
          checkLimit(limit);
        },
        () ->
            read(() -> readPage(uid, appcode, after, limit))
                .compose(
                    page -> {
                      if (page.messages().isEmpty()) {
                        return Future.succeededFuture(new Pulled(List.of(), false, Set.of()));
                      }
                      List<Long> msgids = page.messages().stream().map(Message::msgid).toList();
                      return commits
                          .submit(new RocksWrites.MarkGiven(uid, appcode, msgids))
                          .map(given -> new Pulled(page.messages(), page.more(), given));
                    }));
  }

  /**
   * The rows above {@code after} and the rows below it never given, each range read up to {@code
   * limit + 1} rows, merged by msgid. The second range starts at the inbox's floor, below which the
   * receiver has no row.
   */
  private Page readPage(String uid, int appcode, long after, int limit) throws RocksDBException {
    byte[] inbox = RocksKeys.inbox(uid, appcode);
    byte[] end = RocksKeys.prefixEnd(inbox);
    List<Message> rows = new ArrayList<>();
    if (after != Long.MAX_VALUE) {
      db.scan(
          db.offline,
          RocksKeys.withMsgid(inbox, after + 1),
          end,
          false,
          (key, value) -> {
            rows.add(RocksRows.offlineMessage(key, value));
            return rows.size() <= limit;
          });
    }
    long floor = RocksRows.inbox(db.get(db.inbox, inbox)).floor();
    if (after >= floor) {
      List<byte[]> neverGiven = new ArrayList<>();
      db.scan(
          db.ungiven,
          RocksKeys.withMsgid(inbox, floor),
          after == Long.MAX_VALUE ? end : RocksKeys.withMsgid(inbox, after + 1),
          false,
          (key, value) -> {
            neverGiven.add(key);
            return neverGiven.size() <= limit;
          });
      for (byte[] key : neverGiven) {
        byte[] value = db.get(db.offline, key);
        if (value != null) {
          rows.add(RocksRows.offlineMessage(key, value));
        }
      }
    }
    rows.sort(Comparator.comparingLong(Message::msgid));
    return Page.of(rows, limit);
  }

  @Override
  public Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
    return checked(
        () -> checkKey("uid", uid),
        () -> commits.submit(new RocksWrites.RemoveUpTo(uid, appcode, upto)));
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
                : commits.submit(new RocksWrites.RemoveListed(uid, appcode, msgids)));
  }

  @Override
  public Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
    return checked(
        () -> checkKey("uid", uid),
        () -> commits.submit(new RocksWrites.RemoveOne(uid, appcode, msgid)));
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
            read(
                () -> {
                  byte[] conversation = RocksKeys.conversation(owner, peer);
                  return newestFirst(
                      db.history, conversation, RocksKeys.withMsgid(conversation, before), limit);
                }));
  }

  /**
   * The page of messages stored in {@code family} from {@code from} (inclusive) to {@code to}
   * (exclusive), newest first: one row more than {@code limit} is read to tell whether more follow.
   */
  private Page newestFirst(ColumnFamilyHandle family, byte[] from, byte[] to, int limit)
      throws RocksDBException {
    List<Message> rows = new ArrayList<>();
    db.scan(
        family,
        from,
        to,
        true,
        (key, value) -> {
          rows.add(RocksRows.message(key, value));
          return rows.size() <= limit;
        });
    return Page.of(rows, limit);
  }

  @Override
  public Future<Integer> purgeExpired(long now) {
    List<Future<Integer>> purges = new ArrayList<>(3);
    if (!options.offlineRetention().isZero()) {
      purges.add(
          commits.submit(
              new RocksWrites.Purge(
                  RocksKeys.EXPIRY_OFFLINE,
                  now - options.offlineRetention().toMillis(),
                  options.purgeBatchRows())));
    }
    if (!options.historyRetention().isZero()) {
      purges.add(
          commits.submit(
              new RocksWrites.Purge(
                  RocksKeys.EXPIRY_HISTORY,
                  now - options.historyRetention().toMillis(),
                  options.purgeBatchRows())));
      purges.add(
          commits.submit(
              new RocksWrites.Purge(
                  RocksKeys.EXPIRY_TIMELINE,
                  now - options.historyRetention().toMillis(),
                  options.purgeBatchRows())));
    }
    return Future.all(purges)
        .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
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
              } else if (purged.result() >= options.purgeBatchRows()) {
                purgeExpired();
              }
            });
  }

  /** One dedup purge at a time; one that filled its batch runs again at once. */
  private void purgeDedup() {
    if (!purgingDedup.compareAndSet(false, true)) {
      return;
    }
    long before = System.currentTimeMillis() - options.dedupRetention().toMillis();
    commits
        .submit(new RocksWrites.Purge(RocksKeys.EXPIRY_DEDUP, before, options.purgeBatchRows()))
        .onComplete(
            purged -> {
              purgingDedup.set(false);
              if (purged.failed()) {
                LOG.warn(
                    "purge of expired cmids failed, next try in {}: {}",
                    options.purgeInterval(),
                    purged.cause().toString());
              } else if (purged.result() == options.purgeBatchRows()) {
                purgeDedup();
              }
            });
  }

  /**
   * Runs {@code read} on a reader thread; its future completes on the caller's context. Fails at
   * once when the store is closed or {@value #MAX_QUEUED_READS} reads already wait.
   */
  private <T> Future<T> read(Callable<T> read) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("message store is closed"));
    }
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    try {
      readers.execute(
          () -> {
            Future<T> result;
            try {
              result = Future.succeededFuture(read.call());
            } catch (Exception e) {
              result = Future.failedFuture(e);
            }
            Future<T> done = result;
            if (context == null) {
              promise.handle(done);
            } else {
              context.runOnContext(v -> promise.handle(done));
            }
          });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(
          closed
              ? new IllegalStateException("message store is closed")
              : new StoreOverloadedException(MAX_QUEUED_READS, "reads"));
    }
    return promise.future();
  }

  @Override
  public Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          members.forEach(member -> checkKey("uid", member.uid()));
        },
        () ->
            commits.submit(
                RocksWrites.ChangeGroup.create(
                    groupId,
                    title == null ? "" : title,
                    List.copyOf(members),
                    joined,
                    maxMembers)));
  }

  @Override
  public Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          add.forEach(member -> checkKey("uid", member.uid()));
          remove.forEach(uid -> checkKey("uid", uid));
        },
        () ->
            commits.submit(
                RocksWrites.ChangeGroup.changeMembers(
                    groupId, List.copyOf(add), List.copyOf(remove), joined, maxMembers)));
  }

  @Override
  public Future<Group> closeGroup(String groupId) {
    return checked(
        () -> checkKey("group_id", groupId),
        () -> commits.submit(RocksWrites.ChangeGroup.close(groupId)));
  }

  /**
   * Reads the group row, then the member rows: a change committed between the two reads shows in
   * the members only, as if the read came after it (both are read without a snapshot).
   */
  @Override
  public Future<Group> group(String groupId) {
    return checked(
        () -> checkKey("group_id", groupId),
        () ->
            read(
                () -> {
                  byte[] key = RocksKeys.group(groupId);
                  byte[] row = db.get(db.group, key);
                  if (row == null) {
                    throw GroupRefusedException.noSuchGroup(groupId);
                  }
                  List<RocksGroup.Member> members = new ArrayList<>();
                  db.scan(
                      db.groupMember,
                      key,
                      RocksKeys.prefixEnd(key),
                      false,
                      (memberKey, value) -> {
                        members.add(RocksRows.member(memberKey, value));
                        return true;
                      });
                  return RocksGroup.of(groupId, RocksRows.group(row), members).toGroup();
                }));
  }

  @Override
  public Future<Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout) {
    return checked(
        () -> {
          checkGroupMessage(message);
          checkKey("cmid", cmid);
        },
        () -> commits.submit(new RocksWrites.AcceptC2g(message, cmid, fanout)));
  }

  /** A group message as {@link #acceptC2g} takes it: kind c2g, its group, addressed to no one. */
  private static void checkGroupMessage(Message message) {
    if (message.kind() != Kind.C2G || !"".equals(message.toUid()) || message.toAppcode() != 0) {
      throw new IllegalArgumentException(
          "a group message is of kind c2g and addressed to no one (to_uid \"\", to_appcode 0)");
    }
    checkKey("group_id", message.groupId());
    checkKey("from_uid", message.fromUid());
    // the other fields as any message's: checkMessage asks for a receiver, which the sender's
    // copy names
    checkMessage(
        message.forMember(message.fromUid(), message.fromAppcode(), message.fromAppcode()));
  }

  @Override
  public Future<Page> groupHistory(String groupId, long after, long before, int limit) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          checkLimit(limit);
        },
        () ->
            read(
                () -> {
                  if (after >= before) {
                    return Page.of(List.of(), limit);
                  }
                  byte[] group = RocksKeys.group(groupId);
                  return newestFirst(
                      db.groupTimeline,
                      RocksKeys.withMsgid(group, after + 1),
                      RocksKeys.withMsgid(group, before),
                      limit);
                }));
  }

  @Override
  public Future<ReadMark> markGroupRead(String uid, String groupId, long upto) {
    return checked(
        () -> {
          checkKey("uid", uid);
          checkKey("group_id", groupId);
        },
        () -> commits.submit(new RocksWrites.MarkGroupRead(uid, groupId, upto)));
  }
}
