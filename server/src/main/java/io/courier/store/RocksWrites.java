package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The writes of the embedded store: the requests of one group commit ({@link GroupCommit}) become
 * one RocksDB write batch ({@link RocksKeyOrderedBatch}), applied atomically (one record of the
 * write-ahead log), and synced to the device before any request completes when the batch stores a
 * message.
 *
 * <p>Only the store's writer thread runs a batch, so what a batch reads cannot change under it but
 * by its own writes; it reads those back from an overlay of the keys it wrote. The requests are
 * applied in the order of the SQL stores' {@code WriteBatch}: removals, marks of PULL pages,
 * purges, READ marks, then the C2C, C2G and S2C inserts, the terminals and the group writes
 * (create, members, close, a group's READ) in arrival order, so that a membership change and the
 * messages around it apply in the order they were asked. The writes of a batch were all pending at
 * once, so this is an order in which they could have arrived; with removals before marks, an
 * OFFLINE_ACK {@code upto} removes only rows given by a PULL whose mark committed in an earlier
 * batch. The scans (of {@code upto} and the purge) all run before the first insert, so they never
 * need the overlay's new rows; the scan of a group's members, which does, lays the overlay's member
 * rows over it.
 *
 * <p>A request that cannot be applied — another message under a stored msgid ({@link
 * MsgidConflictException}), a receiver at its offline cap ({@link OfflineQuotaException}), a group
 * operation the group's state refuses ({@link GroupRefusedException}) — is refused alone and writes
 * nothing; the rest of the batch commits. An insert of a row that holds the same message (same
 * sender and logid; a receiver's C2C rows compare only the sender, as in the SQL stores) writes
 * nothing: every write can be retried.
 *
 * @implNote Sync. A batch that inserts a message or changes a group (create, members, close) is
 *     written with {@code sync}: RocksDB appends the batch to the write-ahead log and {@code
 *     fdatasync}s it before it returns, so a message is on the device before its sender hears code
 *     0, and a group before its business hears it exists. Batches of removals, marks and purges
 *     only are written to the log without a sync: they reach the operating system at once (a killed
 *     process loses none), and the next synced batch syncs them too. A power loss can undo such a
 *     suffix, which brings removed messages back (a duplicate the client drops by msgid, never a
 *     loss) or makes a PULL page given again. Syncing every batch was rejected: a pipelined PULL
 *     drain makes two writes per page, and none of them can lose a message.
 */
final class RocksWrites {
  private static final byte[] MAX_MSGID = "max_msgid".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] DELETED = new byte[0];

  /** Keys of one column family that a batch of 500 C2C messages writes, about: no rehash. */
  private static final int OVERLAY_CAPACITY = 2_048;

  /**
   * Committed rows kept in memory per cached family, most recently used first: the conversation
   * rows that PUSH acks and READs read, the terminals every C2C looks up, and the inbox counters
   * every offline row's write and removal changes.
   */
  static final int CACHED_ROWS = 65_536;

  /**
   * Offline rows kept in memory, most recently used first: the rows written lately, which their
   * PUSH acks remove within a second or so (about 16,000 messages at the rates of one node); a row
   * pulled later is read from the database as before.
   */
  static final int CACHED_OFFLINE_ROWS = 16_384;

  private static final byte[] ABSENT = new byte[0];

  private final RocksDatabase db;
  private final int offlineMaxPerUser;
  private final Map<ColumnFamilyHandle, Map<ByteBuffer, byte[]>> committed =
      new IdentityHashMap<>();
  private volatile long maxMsgid;

  /**
   * No row in the database has a msgid above this, or {@link #UNKNOWN}: the writer's alone.
   *
   * @implNote The key of every message row (offline, history, group timeline) ends with its msgid,
   *     and every write of one raises the stored highest msgid in the same atomic write, so a
   *     message above it needs no read to know its rows are not stored: a new message's msgid is
   *     always above it. RocksDB reads (these, the inbox counters, the row an ack removes) were a
   *     third of the writer thread's samples in native code for S2C at qos 1.
   */
  private long freshAbove;

  /**
   * {@link #freshAbove} after a write that failed: it may have reached the database all the same.
   */
  private static final long UNKNOWN = Long.MAX_VALUE;

  /**
   * @param offlineMaxPerUser the offline cap, 0 for none
   */
  RocksWrites(RocksDatabase db, int offlineMaxPerUser) throws RocksDBException {
    this.db = db;
    this.offlineMaxPerUser = offlineMaxPerUser;
    byte[] stored = db.get(db.meta, MAX_MSGID);
    this.maxMsgid = stored == null ? 0 : RocksKeys.number(stored, 0);
    this.freshAbove = maxMsgid;
    committed.put(db.conversation, lru(CACHED_ROWS));
    committed.put(db.terminal, lru(CACHED_ROWS));
    committed.put(db.group, lru(CACHED_ROWS));
    committed.put(db.groupMember, lru(CACHED_ROWS));
    committed.put(db.inbox, lru(CACHED_ROWS));
    committed.put(db.offline, lru(CACHED_OFFLINE_ROWS));
  }

  /**
   * A cache of committed rows for the writer thread alone.
   *
   * @implNote Only this writer changes the conversation, terminal, group, inbox and offline
   *     families, so its cache is exact: a batch's own changes go to it once the batch has
   *     committed, never before (a batch that fails leaves it as it was). Without it each C2C read
   *     up to four terminal keys, each PUSH ack a conversation row and the offline row it removes,
   *     and each batch the counter of every inbox it stores to or removes from through JNI.
   */
  private static Map<ByteBuffer, byte[]> lru(int rows) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
        return size() > rows;
      }
    };
  }

  /** The highest msgid of any committed write, 0 for an empty store. */
  long maxMsgid() {
    return maxMsgid;
  }

  /** The key of the highest msgid in the {@code default} column family; its value is a number. */
  static byte[] maxMsgidKey() {
    return MAX_MSGID.clone();
  }

  /** Applies {@code requests} in one atomic write and sets their results; blocks. */
  void run(List<GroupCommit.Request<?>> requests) throws RocksDBException {
    if (freshAbove == UNKNOWN) {
      byte[] stored = db.get(db.meta, MAX_MSGID);
      freshAbove = stored == null ? 0 : RocksKeys.number(stored, 0);
      // what the failed write raised it to, if it reached the database
      maxMsgid = Math.max(maxMsgid, freshAbove);
    }
    new Batch().run(requests);
  }

  /** {@link MessageStore#acceptC2c}. */
  static final class Accept extends GroupCommit.Request<MessageStore.Accepted> {
    private final Message message;
    private final String cmid;
    private final List<Message> copies;

    Accept(Message message, String cmid, List<Message> copies) {
      this.message = message;
      this.cmid = cmid;
      this.copies = copies;
    }
  }

  /** {@link MessageStore#acceptC2g}. */
  static final class AcceptC2g extends GroupCommit.Request<MessageStore.Accepted> {
    private final Message message;
    private final String cmid;
    private final GroupFanout fanout;

    AcceptC2g(Message message, String cmid, GroupFanout fanout) {
      this.message = message;
      this.cmid = cmid;
      this.fanout = fanout;
    }
  }

  /**
   * {@link MessageStore#createGroup}, {@link MessageStore#changeMembers} and {@link
   * MessageStore#closeGroup}: the group {@code change} makes of the stored one (null when there is
   * none), or its {@link GroupRefusedException}; the result is the group after.
   */
  static final class ChangeGroup extends GroupCommit.Request<Group> {
    private final String groupId;
    private final UnaryOperator<RocksGroup> change;

    private ChangeGroup(String groupId, UnaryOperator<RocksGroup> change) {
      this.groupId = groupId;
      this.change = change;
    }

    static ChangeGroup create(
        String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
      return new ChangeGroup(
          groupId,
          group -> {
            if (group != null) {
              throw GroupRefusedException.exists(groupId);
            }
            return RocksGroup.create(groupId, title, members, joined, maxMembers);
          });
    }

    static ChangeGroup changeMembers(
        String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
      return new ChangeGroup(
          groupId, group -> existing(groupId, group).changed(add, remove, joined, maxMembers));
    }

    static ChangeGroup close(String groupId) {
      return new ChangeGroup(groupId, group -> existing(groupId, group).closed());
    }

    private static RocksGroup existing(String groupId, RocksGroup group) {
      if (group == null) {
        throw GroupRefusedException.noSuchGroup(groupId);
      }
      return group;
    }
  }

  /** {@link MessageStore#markGroupRead}. */
  static final class MarkGroupRead extends GroupCommit.Request<MessageStore.ReadMark> {
    private final String uid;
    private final String groupId;
    private final long upto;

    MarkGroupRead(String uid, String groupId, long upto) {
      this.uid = uid;
      this.groupId = groupId;
      this.upto = upto;
    }
  }

  /** {@link MessageStore#markRead}. */
  static final class MarkRead extends GroupCommit.Request<MessageStore.ReadMark> {
    private final byte[] key;
    private final long upto;

    MarkRead(String owner, String peer, long upto) {
      this.key = RocksKeys.conversation(owner, peer);
      this.upto = upto;
    }
  }

  /** {@link MessageStore#addTerminal}: a terminal recorded before keeps its date. */
  static final class AddTerminal extends GroupCommit.Request<Void> {
    private final byte[] key;
    private final long since;

    AddTerminal(String uid, int appcode, long since) {
      this.key = RocksKeys.terminal(uid, appcode);
      this.since = since;
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
    private final byte[] inbox;
    private final long upto;

    RemoveUpTo(String uid, int appcode, long upto) {
      this.inbox = RocksKeys.inbox(uid, appcode);
      this.upto = upto;
    }
  }

  /** {@link MessageStore#removeOffline}. */
  static final class RemoveOne extends GroupCommit.Request<Boolean> {
    private final byte[] key;

    RemoveOne(String uid, int appcode, long msgid) {
      this.key = RocksKeys.offline(uid, appcode, msgid);
    }
  }

  /** {@link MessageStore#removeOfflineListed}: the result is how many of its rows it removed. */
  static final class RemoveListed extends GroupCommit.Request<Integer> {
    private final List<byte[]> keys;

    RemoveListed(String uid, int appcode, Collection<Long> msgids) {
      this.keys = keys(uid, appcode, msgids);
    }
  }

  /**
   * Marks the rows of a PULL page given; the result is the msgids this request changed, those that
   * no earlier mark (in this batch or before it) had given.
   */
  static final class MarkGiven extends GroupCommit.Request<Set<Long>> {
    private final List<byte[]> keys;

    MarkGiven(String uid, int appcode, Collection<Long> msgids) {
      this.keys = keys(uid, appcode, msgids);
    }
  }

  /**
   * Deletes up to {@code limit} rows of one kind sent before {@code before}; the result is how
   * many.
   */
  static final class Purge extends GroupCommit.Request<Integer> {
    private final byte kind;
    private final long before;
    private final int limit;

    Purge(byte kind, long before, int limit) {
      this.kind = kind;
      this.before = before;
      this.limit = limit;
    }
  }

  private static List<byte[]> keys(String uid, int appcode, Collection<Long> msgids) {
    byte[] inbox = RocksKeys.inbox(uid, appcode);
    List<byte[]> keys = new ArrayList<>(msgids.size());
    new LinkedHashSet<>(msgids).forEach(msgid -> keys.add(RocksKeys.withMsgid(inbox, msgid)));
    return keys;
  }

  /**
   * A row a write would store: where, and how to tell another message under its key; {@code name}
   * names it in a conflict, built only then.
   */
  private record Row(
      ColumnFamilyHandle family,
      byte[] key,
      byte expiryKind,
      boolean logidIgnored,
      Supplier<String> name) {}

  /** One group commit: its write batch and what it wrote, for its own reads. */
  private final class Batch {
    private final RocksKeyOrderedBatch writes = new RocksKeyOrderedBatch();
    // by identity: RocksJava's ColumnFamilyHandle.hashCode and equals read the family's name
    // through
    // JNI, which cost the writer a sixth of its time as a HashMap key
    private final Map<ColumnFamilyHandle, Map<ByteBuffer, byte[]>> written =
        new IdentityHashMap<>();
    private final Map<ByteBuffer, RocksRows.Inbox> inboxes = new HashMap<>();
    private final Set<ByteBuffer> changedInboxes = new HashSet<>();
    private long max = maxMsgid;
    private boolean sync;

    void run(List<GroupCommit.Request<?>> requests) throws RocksDBException {
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof RemoveUpTo upTo) {
          removeUpTo(upTo);
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof RemoveOne one) {
          one.result(removeOne(one.key));
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof RemoveListed listed) {
          int removed = 0;
          for (byte[] key : listed.keys) {
            removed += removeOne(key) ? 1 : 0;
          }
          listed.result(removed);
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof MarkGiven mark) {
          markGiven(mark);
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof Purge purge) {
          purge(purge);
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof MarkRead mark) {
          RocksRows.Conversation row = RocksRows.conversation(get(db.conversation, mark.key));
          if (mark.upto > row.read()) {
            put(db.conversation, mark.key, RocksRows.conversation(row.withRead(mark.upto)));
            mark.result(new MessageStore.ReadMark(mark.upto, true));
          } else {
            mark.result(new MessageStore.ReadMark(row.read(), false));
          }
        }
      }
      for (GroupCommit.Request<?> request : requests) {
        if (request instanceof Accept accept) {
          accept(accept);
        } else if (request instanceof AcceptC2g c2g) {
          acceptC2g(c2g);
        } else if (request instanceof ChangeGroup change) {
          changeGroup(change);
        } else if (request instanceof MarkGroupRead mark) {
          markGroupRead(mark);
        } else if (request instanceof StoreOffline store) {
          storeOffline(store);
        } else if (request instanceof AddTerminal terminal) {
          if (get(db.terminal, terminal.key) == null) {
            put(db.terminal, terminal.key, new RocksKeys.Builder(8).number(terminal.since).bytes());
          }
          terminal.result(null);
        }
      }
      commit();
    }

    /**
     * Removes the rows of the inbox up to {@code upto} that a PULL gave (those without an {@code
     * ungiven} key), from the inbox's floor on, and raises the floor to the lowest row kept.
     */
    private void removeUpTo(RemoveUpTo removal) throws RocksDBException {
      RocksRows.Inbox inbox = inbox(removal.inbox);
      if (removal.upto < inbox.floor()) {
        removal.result(0);
        return;
      }
      byte[] from = RocksKeys.withMsgid(removal.inbox, inbox.floor());
      byte[] to =
          removal.upto == Long.MAX_VALUE
              ? RocksKeys.prefixEnd(removal.inbox)
              : RocksKeys.withMsgid(removal.inbox, removal.upto + 1);
      Set<ByteBuffer> neverGiven = new HashSet<>();
      db.scan(
          db.ungiven,
          from,
          to,
          false,
          (key, value) -> {
            if (!deletedHere(db.ungiven, key)) {
              neverGiven.add(ByteBuffer.wrap(key));
            }
            return true;
          });
      List<byte[]> givenKeys = new ArrayList<>();
      List<byte[]> givenValues = new ArrayList<>();
      long[] lowestKept = {Long.MAX_VALUE};
      db.scan(
          db.offline,
          from,
          to,
          false,
          (key, value) -> {
            if (deletedHere(db.offline, key)) {
              return true;
            }
            if (neverGiven.contains(ByteBuffer.wrap(key))) {
              lowestKept[0] = Math.min(lowestKept[0], RocksKeys.msgidOf(key));
            } else {
              givenKeys.add(key);
              givenValues.add(value);
            }
            return true;
          });
      for (int i = 0; i < givenKeys.size(); i++) {
        deleteOffline(givenKeys.get(i), givenValues.get(i), false);
      }
      long floor =
          lowestKept[0] != Long.MAX_VALUE
              ? lowestKept[0]
              : removal.upto == Long.MAX_VALUE ? Long.MAX_VALUE : removal.upto + 1;
      updateInbox(removal.inbox, inbox(removal.inbox).withFloor(floor));
      removal.result(givenKeys.size());
    }

    /** Removes the offline row under {@code key}, given or not; true if it was there. */
    private boolean removeOne(byte[] key) throws RocksDBException {
      byte[] value = get(db.offline, key);
      if (value == null) {
        return false;
      }
      delivered(key, value);
      deleteOffline(key, value, true);
      return true;
    }

    /**
     * A terminal of the receiver got the C2C message of the offline row {@code key}: its delivered
     * position in the conversation with the sender moves to it.
     */
    private void delivered(byte[] key, byte[] value) throws RocksDBException {
      RocksRows.Route route = RocksRows.receivedC2c(key, value);
      if (route == null) {
        return;
      }
      byte[] conversation = RocksKeys.conversation(route.receiver(), route.sender());
      RocksRows.Conversation row = RocksRows.conversation(get(db.conversation, conversation));
      long msgid = RocksKeys.msgidOf(key);
      if (msgid > row.delivered()) {
        put(db.conversation, conversation, RocksRows.conversation(row.withDelivered(msgid)));
      }
    }

    private void deleteOffline(byte[] key, byte[] value, boolean mayBeUngiven)
        throws RocksDBException {
      delete(db.offline, key);
      if (mayBeUngiven) {
        delete(db.ungiven, key);
      }
      delete(db.expiry, RocksKeys.expiry(RocksKeys.EXPIRY_OFFLINE, RocksRows.senddate(value), key));
      byte[] inboxKey = RocksKeys.inboxOf(key);
      updateInbox(inboxKey, inbox(inboxKey).removed());
    }

    /**
     * Deletes the {@code ungiven} key of each listed row that has one: the first mark of a row
     * changes it. Every {@code ungiven} key has its offline row: removals delete both.
     */
    private void markGiven(MarkGiven mark) throws RocksDBException {
      Set<Long> changed = new LinkedHashSet<>();
      for (byte[] key : mark.keys) {
        if (get(db.ungiven, key) != null) {
          delete(db.ungiven, key);
          changed.add(RocksKeys.msgidOf(key));
          delivered(key, get(db.offline, key));
        }
      }
      mark.result(changed);
    }

    private void purge(Purge purge) throws RocksDBException {
      List<byte[]> expired = new ArrayList<>();
      db.scan(
          db.expiry,
          RocksKeys.expiryStart(purge.kind),
          RocksKeys.expiryBefore(purge.kind, purge.before),
          false,
          (key, value) -> {
            if (!deletedHere(db.expiry, key)) {
              expired.add(key);
            }
            return expired.size() < purge.limit;
          });
      int purged = 0;
      for (byte[] expiryKey : expired) {
        byte[] row = RocksKeys.rowOfExpiry(expiryKey);
        ColumnFamilyHandle family =
            switch (purge.kind) {
              case RocksKeys.EXPIRY_OFFLINE -> db.offline;
              case RocksKeys.EXPIRY_HISTORY -> db.history;
              case RocksKeys.EXPIRY_TIMELINE -> db.groupTimeline;
              default -> db.dedup;
            };
        byte[] value = get(family, row);
        if (value == null) {
          // the row went without its expiry key: cannot happen, but must not stay forever
          delete(db.expiry, expiryKey);
        } else if (family == db.offline) {
          deleteOffline(row, value, true);
          purged++;
        } else {
          delete(family, row);
          delete(db.expiry, expiryKey);
          purged++;
        }
      }
      purge.result(purged);
    }

    private void accept(Accept accept) throws RocksDBException {
      Message message = accept.message;
      byte[] dedupKey = RocksKeys.dedup(message.fromUid(), message.fromAppcode(), accept.cmid);
      byte[] first = get(db.dedup, dedupKey);
      if (first != null) {
        accept.result(RocksRows.duplicate(first));
        return;
      }
      List<Row> rows = new ArrayList<>(3);
      rows.add(
          new Row(
              db.history,
              RocksKeys.history(message.fromUid(), message.toUid(), message.msgid()),
              RocksKeys.EXPIRY_HISTORY,
              false,
              () -> "history (" + message.fromUid() + ", " + message.toUid() + ")"));
      if (!message.fromUid().equals(message.toUid())) {
        rows.add(
            new Row(
                db.history,
                RocksKeys.history(message.toUid(), message.fromUid(), message.msgid()),
                RocksKeys.EXPIRY_HISTORY,
                true,
                () -> "history (" + message.toUid() + ", " + message.fromUid() + ")"));
      }
      rows.add(offlineRow(message));
      List<Row> fresh;
      try {
        fresh = freshRows(message, rows);
      } catch (MsgidConflictException conflict) {
        accept.refuse(conflict);
        return;
      }
      if (fresh.stream().anyMatch(row -> row.family == db.offline)) {
        OfflineQuotaException refusal = overQuota(Map.of(ByteBuffer.wrap(inboxOf(message)), 1));
        if (refusal != null) {
          accept.refuse(refusal);
          return;
        }
      }
      put(db.dedup, dedupKey, RocksRows.dedup(message.msgid(), message.senddate()));
      writes.put(
          db.expiry, RocksKeys.expiry(RocksKeys.EXPIRY_DEDUP, message.senddate(), dedupKey), EMPTY);
      store(message, fresh);
      List<Message> copies = new ArrayList<>(accept.copies.size());
      for (Message copy : accept.copies) {
        if (recorded(copy)) {
          copies.add(copy);
          storeCopy(copy);
        }
      }
      accept.result(new MessageStore.Accepted(message.msgid(), message.senddate(), false, copies));
    }

    private boolean recorded(Message copy) throws RocksDBException {
      return get(db.terminal, RocksKeys.terminal(copy.inboxUid(), copy.inboxAppcode())) != null;
    }

    /**
     * Stores the offline row of a copy for another terminal unless that terminal is at its cap, or
     * the row is there already (a copy is never the first row of a message, so another message
     * under its key was refused with the message's own rows); true if it stored it.
     */
    private boolean storeCopy(Message copy) throws RocksDBException {
      Row row = offlineRow(copy);
      if (stored(row, copy.msgid()) != null) {
        return false;
      }
      if (offlineMaxPerUser != 0 && inbox(inboxOf(copy)).waiting() >= offlineMaxPerUser) {
        return false;
      }
      store(copy, List.of(row));
      return true;
    }

    /**
     * Accepts a group message as {@link #accept} does a C2C one, with the group and its members as
     * this batch finds them: the dedup row, the timeline row, the group's last msgid and each
     * member's copies, the addressed ones unless their inbox is at the cap, the others only for
     * recorded terminals. A refusal, a conflict on the timeline, a bad copy or a failing fanout
     * refuses this request alone, before anything of it is written.
     */
    private void acceptC2g(AcceptC2g request) throws RocksDBException {
      Message message = request.message;
      byte[] dedupKey = RocksKeys.dedup(message.fromUid(), message.fromAppcode(), request.cmid);
      byte[] first = get(db.dedup, dedupKey);
      if (first != null) {
        request.result(RocksRows.duplicate(first));
        return;
      }
      RocksGroup group = group(message.groupId());
      List<Row> fresh;
      List<Message> candidates = new ArrayList<>();
      try {
        if (group == null) {
          throw GroupRefusedException.noSuchGroup(message.groupId());
        }
        if (group.member(message.fromUid()) == null) {
          throw GroupRefusedException.notMember(message.fromUid(), message.groupId());
        }
        if (group.row().closed()) {
          throw GroupRefusedException.closed(message.groupId());
        }
        fresh =
            freshRows(
                message,
                List.of(
                    new Row(
                        db.groupTimeline,
                        RocksKeys.timeline(message.groupId(), message.msgid()),
                        RocksKeys.EXPIRY_TIMELINE,
                        false,
                        () -> "group timeline (" + message.groupId() + ")")));
        for (RocksGroup.Member member : group.members()) {
          for (Message copy : request.fanout.copies(message, member.toMember())) {
            checkCopy(message, copy);
            candidates.add(copy);
          }
        }
      } catch (RuntimeException refused) {
        request.refuse(refused);
        return;
      }
      put(db.dedup, dedupKey, RocksRows.dedup(message.msgid(), message.senddate()));
      writes.put(
          db.expiry, RocksKeys.expiry(RocksKeys.EXPIRY_DEDUP, message.senddate(), dedupKey), EMPTY);
      store(message, fresh);
      save(group, group.withMessage(message.msgid()));
      List<Message> copies = new ArrayList<>(candidates.size());
      for (Message copy : candidates) {
        if ((copy.addressed() || recorded(copy)) && storeCopy(copy)) {
          copies.add(copy);
        }
      }
      request.result(new MessageStore.Accepted(message.msgid(), message.senddate(), false, copies));
    }

    /** A copy the fanout gave must be one of {@code message}, for some member's inbox. */
    private static void checkCopy(Message message, Message copy) {
      StoreInput.checkMessage(copy);
      if (copy.msgid() != message.msgid()
          || copy.kind() != Kind.C2G
          || !message.groupId().equals(copy.groupId())) {
        throw new IllegalArgumentException(
            "the group fanout gave a copy of another message than "
                + message.msgid()
                + " of group "
                + message.groupId());
      }
    }

    private void changeGroup(ChangeGroup request) throws RocksDBException {
      RocksGroup before = group(request.groupId);
      RocksGroup after;
      try {
        after = request.change.apply(before);
      } catch (GroupRefusedException refused) {
        request.refuse(refused);
        return;
      }
      save(before, after);
      request.result(after.toGroup());
    }

    /** Moves a member's read position forward, in its member row. */
    private void markGroupRead(MarkGroupRead mark) throws RocksDBException {
      if (get(db.group, RocksKeys.group(mark.groupId)) == null) {
        mark.refuse(GroupRefusedException.noSuchGroup(mark.groupId));
        return;
      }
      byte[] key = RocksKeys.member(mark.groupId, mark.uid);
      byte[] value = get(db.groupMember, key);
      if (value == null) {
        mark.refuse(GroupRefusedException.notMember(mark.uid, mark.groupId));
        return;
      }
      RocksGroup.Member member = RocksRows.member(key, value);
      if (mark.upto > member.read()) {
        put(
            db.groupMember,
            key,
            RocksRows.member(
                new RocksGroup.Member(
                    member.uid(), member.appcode(), member.joined(), mark.upto, member.order())));
        mark.result(new MessageStore.ReadMark(mark.upto, true));
      } else {
        mark.result(new MessageStore.ReadMark(member.read(), false));
      }
    }

    /**
     * The group {@code groupId} as this batch left it, null when there is none: its row, and its
     * member rows scanned from the database with this batch's own changes over them.
     */
    private RocksGroup group(String groupId) throws RocksDBException {
      byte[] key = RocksKeys.group(groupId);
      byte[] row = get(db.group, key);
      if (row == null) {
        return null;
      }
      Map<ByteBuffer, byte[]> mine = written.getOrDefault(db.groupMember, Map.of());
      List<RocksGroup.Member> members = new ArrayList<>();
      db.scan(
          db.groupMember,
          key,
          RocksKeys.prefixEnd(key),
          false,
          (memberKey, value) -> {
            if (!mine.containsKey(ByteBuffer.wrap(memberKey))) {
              members.add(RocksRows.member(memberKey, value));
            }
            return true;
          });
      for (Map.Entry<ByteBuffer, byte[]> entry : mine.entrySet()) {
        byte[] memberKey = entry.getKey().array();
        if (entry.getValue() != DELETED
            && memberKey.length > key.length
            && Arrays.equals(memberKey, 0, key.length, key, 0, key.length)) {
          members.add(RocksRows.member(memberKey, entry.getValue()));
        }
      }
      return RocksGroup.of(groupId, RocksRows.group(row), members);
    }

    /**
     * Writes what differs from {@code before} (null: no group) in {@code after}: its row, the rows
     * of its new and changed members with their user group keys, and the removal of the members it
     * lost. A new member's join point counts as a stored msgid (the msgid floor).
     */
    private void save(RocksGroup before, RocksGroup after) throws RocksDBException {
      String groupId = after.groupId();
      boolean changed = false;
      if (before == null || !before.row().equals(after.row())) {
        put(db.group, RocksKeys.group(groupId), RocksRows.group(after.row()));
        changed = true;
      }
      for (RocksGroup.Member member : after.changedMembers(before)) {
        put(db.groupMember, RocksKeys.member(groupId, member.uid()), RocksRows.member(member));
        if (before == null || before.member(member.uid()) == null) {
          put(db.userGroup, RocksKeys.userGroup(member.uid(), groupId), EMPTY);
          max = Math.max(max, member.joined());
        }
        changed = true;
      }
      for (String uid : after.removedMembers(before)) {
        delete(db.groupMember, RocksKeys.member(groupId, uid));
        delete(db.userGroup, RocksKeys.userGroup(uid, groupId));
        changed = true;
      }
      sync |= changed;
    }

    private void storeOffline(StoreOffline request) throws RocksDBException {
      Map<ByteBuffer, Message> pending = new LinkedHashMap<>();
      Map<ByteBuffer, Integer> added = new LinkedHashMap<>();
      List<Row> fresh = new ArrayList<>();
      List<Message> freshMessages = new ArrayList<>();
      for (Message message : request.messages) {
        Row row = offlineRow(message);
        Message earlier = pending.get(ByteBuffer.wrap(row.key));
        if (earlier != null) {
          if (!RocksRows.Sender.of(earlier)
              .sameMessage(RocksRows.Sender.of(message), row.logidIgnored)) {
            request.refuse(conflict(row, message, RocksRows.Sender.of(earlier)));
            return;
          }
          continue;
        }
        boolean stored;
        try {
          stored = freshRows(message, List.of(row)).isEmpty();
        } catch (MsgidConflictException conflict) {
          request.refuse(conflict);
          return;
        }
        pending.put(ByteBuffer.wrap(row.key), message);
        if (!stored) {
          fresh.add(row);
          freshMessages.add(message);
          added.merge(ByteBuffer.wrap(inboxOf(message)), 1, Integer::sum);
        }
      }
      OfflineQuotaException refusal = overQuota(added);
      if (refusal != null) {
        request.refuse(refusal);
        return;
      }
      for (int i = 0; i < fresh.size(); i++) {
        store(freshMessages.get(i), List.of(fresh.get(i)));
      }
    }

    /**
     * The rows of {@code message} not stored yet.
     *
     * @throws MsgidConflictException when one of them holds another message
     */
    private List<Row> freshRows(Message message, List<Row> rows) throws RocksDBException {
      List<Row> fresh = new ArrayList<>(rows.size());
      RocksRows.Sender sender = RocksRows.Sender.of(message);
      for (Row row : rows) {
        byte[] stored = stored(row, message.msgid());
        if (stored == null) {
          fresh.add(row);
          continue;
        }
        RocksRows.Sender storedSender = RocksRows.sender(stored);
        if (!storedSender.sameMessage(sender, row.logidIgnored)) {
          throw conflict(row, message, storedSender);
        }
      }
      return fresh;
    }

    private MsgidConflictException conflict(Row row, Message message, RocksRows.Sender stored) {
      return new MsgidConflictException(
          row.name.get(),
          message.msgid(),
          stored.toString(),
          RocksRows.Sender.of(message).toString());
    }

    /** The refusal when adding {@code added} rows to these inboxes passes the cap, else null. */
    private OfflineQuotaException overQuota(Map<ByteBuffer, Integer> added)
        throws RocksDBException {
      if (offlineMaxPerUser == 0) {
        return null;
      }
      for (Map.Entry<ByteBuffer, Integer> entry : added.entrySet()) {
        if (inbox(entry.getKey().array()).waiting() + entry.getValue() > offlineMaxPerUser) {
          RocksKeys.Reader reader = new RocksKeys.Reader(entry.getKey().array(), 0);
          return new OfflineQuotaException(reader.text(), reader.integer(), offlineMaxPerUser);
        }
      }
      return null;
    }

    /** Writes {@code message}'s {@code rows}, which are not stored yet. */
    private void store(Message message, List<Row> rows) throws RocksDBException {
      byte[] value = RocksRows.message(message);
      for (Row row : rows) {
        put(row.family, row.key, value);
        // inserts come last in a batch: no later request reads these two back
        writes.put(db.expiry, RocksKeys.expiry(row.expiryKind, message.senddate(), row.key), EMPTY);
        if (row.family == db.offline) {
          writes.put(db.ungiven, row.key, EMPTY);
          byte[] inboxKey = inboxOf(message);
          updateInbox(inboxKey, inbox(inboxKey).added(message.msgid()));
        }
      }
      max = Math.max(max, message.msgid());
      sync = true;
    }

    private Row offlineRow(Message message) {
      return new Row(
          db.offline,
          RocksKeys.offline(message.inboxUid(), message.inboxAppcode(), message.msgid()),
          RocksKeys.EXPIRY_OFFLINE,
          message.kind() == Kind.C2C,
          () -> "offline (" + message.inboxUid() + ", " + message.inboxAppcode() + ")");
    }

    private static byte[] inboxOf(Message message) {
      return RocksKeys.inbox(message.inboxUid(), message.inboxAppcode());
    }

    private RocksRows.Inbox inbox(byte[] key) throws RocksDBException {
      ByteBuffer wrapped = ByteBuffer.wrap(key);
      RocksRows.Inbox inbox = inboxes.get(wrapped);
      if (inbox == null) {
        inbox = RocksRows.inbox(get(db.inbox, key));
        inboxes.put(wrapped, inbox);
      }
      return inbox;
    }

    private void updateInbox(byte[] key, RocksRows.Inbox inbox) {
      ByteBuffer wrapped = ByteBuffer.wrap(key);
      inboxes.put(wrapped, inbox);
      changedInboxes.add(wrapped);
    }

    private void commit() throws RocksDBException {
      Map<ByteBuffer, byte[]> inboxRows = new HashMap<>();
      for (ByteBuffer key : changedInboxes) {
        byte[] row = RocksRows.inbox(inboxes.get(key));
        writes.put(db.inbox, key.array(), row);
        inboxRows.put(key, row);
      }
      if (max > maxMsgid) {
        writes.put(db.meta, MAX_MSGID, new RocksKeys.Builder(8).number(max).bytes());
      }
      if (writes.count() > 0) {
        try {
          writes.write(db, sync);
        } catch (RocksDBException | RuntimeException e) {
          freshAbove = UNKNOWN;
          throw e;
        }
      }
      maxMsgid = max;
      freshAbove = max;
      committed.forEach(
          (family, cache) -> {
            Map<ByteBuffer, byte[]> mine = written.get(family);
            if (mine != null) {
              mine.forEach((key, value) -> cache.put(key, value == DELETED ? ABSENT : value));
            }
          });
      committed.get(db.inbox).putAll(inboxRows);
    }

    /**
     * The value of {@code row} of the message {@code msgid} as this batch left it: only this
     * batch's own when the msgid is above every committed one ({@link #freshAbove}).
     */
    private byte[] stored(Row row, long msgid) throws RocksDBException {
      if (msgid > freshAbove) {
        byte[] value = mine(row.family, row.key);
        return value == DELETED ? null : value;
      }
      return get(row.family, row.key);
    }

    /** The value under {@code key} as this batch left it. */
    private byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
      byte[] value = mine(family, key);
      if (value == DELETED) {
        return null;
      }
      if (value != null) {
        return value;
      }
      Map<ByteBuffer, byte[]> cache = committed.get(family);
      if (cache == null) {
        return db.get(family, key);
      }
      ByteBuffer wrapped = ByteBuffer.wrap(key);
      byte[] cached = cache.get(wrapped);
      if (cached == null) {
        cached = db.get(family, key);
        cache.put(wrapped, cached == null ? ABSENT : cached);
      }
      return cached == ABSENT ? null : cached;
    }

    /** What this batch wrote under {@code key}: null if nothing, {@link #DELETED} if a delete. */
    private byte[] mine(ColumnFamilyHandle family, byte[] key) {
      Map<ByteBuffer, byte[]> mine = written.get(family);
      return mine == null ? null : mine.get(ByteBuffer.wrap(key));
    }

    private boolean deletedHere(ColumnFamilyHandle family, byte[] key) {
      return mine(family, key) == DELETED;
    }

    private void put(ColumnFamilyHandle family, byte[] key, byte[] value) throws RocksDBException {
      writes.put(family, key, value);
      written
          .computeIfAbsent(family, f -> new HashMap<>(OVERLAY_CAPACITY))
          .put(ByteBuffer.wrap(key), value);
    }

    private void delete(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
      writes.delete(family, key);
      written
          .computeIfAbsent(family, f -> new HashMap<>(OVERLAY_CAPACITY))
          .put(ByteBuffer.wrap(key), DELETED);
    }
  }
}
