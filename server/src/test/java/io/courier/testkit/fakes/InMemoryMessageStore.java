package io.courier.testkit.fakes;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.store.Group;
import io.courier.store.GroupFanout;
import io.courier.store.GroupRefusedException;
import io.courier.store.MessageStore;
import io.courier.store.MsgidConflictException;
import io.courier.store.OfflineQuotaException;
import io.courier.store.SqlMessageStore;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A {@link MessageStore} in maps, held to the same contract as the SQL stores ({@code
 * InMemoryMessageStoreTest} runs {@code MessageStoreContract} against it), with two switches a flow
 * test needs: {@link #down} makes every operation fail as an outage or overload would, and {@link
 * #holdWrites} keeps writes from becoming durable until {@link #releaseWrites}, so a test can see
 * what a flow does before its message is stored. {@link #holdPulls} makes pulls read their page at
 * once but wait before marking it given, until {@link #releasePulls}: pulls held together have read
 * the same rows, as pipelined PULLs of one client can on the real stores.
 *
 * <p>It keeps the offline cap and the retention periods of {@link SqlStoreOptions} ({@link
 * #configure}); it purges only when {@link #purgeExpired} is called.
 *
 * <p>Reads and writes complete before they return (unless held): a flow built on this store runs to
 * its answer on the test's thread.
 */
public final class InMemoryMessageStore implements MessageStore {
  private final Map<Inbox, NavigableMap<Long, Message>> offline = new HashMap<>();
  private final Map<Conversation, NavigableMap<Long, Message>> history = new HashMap<>();
  private final Map<SentCmid, Accepted> cmids = new HashMap<>();
  private final Set<Given> given = new HashSet<>();

  /** (receiver, sender) → the newest msgid of the sender that a terminal of the receiver got. */
  private final Map<List<String>, Long> delivered = new HashMap<>();

  private final Map<String, Set<Integer>> terminals = new HashMap<>();

  /** Groups by id, each with its members in the order they were added. */
  private final Map<String, Group> groups = new HashMap<>();

  /** Each group's messages by msgid: its timeline. */
  private final Map<String, NavigableMap<Long, Message>> timelines = new HashMap<>();

  private final Map<List<String>, Long> reads = new HashMap<>();
  private final List<Runnable> heldWrites = new ArrayList<>();
  private final List<Runnable> heldMarks = new ArrayList<>();
  private long maxMsgid;
  private boolean open = true;
  private boolean holding;
  private boolean holdingPulls;
  private Throwable down;
  private SqlStoreOptions options = SqlStoreOptions.defaults();

  /** The offline cap, retention periods and purge batch size from now on. */
  public synchronized void configure(SqlStoreOptions options) {
    this.options = options;
  }

  /** From now on every operation fails with {@code cause}, until {@link #up()}. */
  public synchronized void down(Throwable cause) {
    this.down = cause;
  }

  public synchronized void up() {
    this.down = null;
  }

  /** Writes from now on wait, not yet durable, until {@link #releaseWrites()}. */
  public synchronized void holdWrites() {
    holding = true;
  }

  /** Makes the held writes durable, in the order they were made, and stops holding. */
  public void releaseWrites() {
    List<Runnable> released;
    synchronized (this) {
      holding = false;
      released = new ArrayList<>(heldWrites);
      heldWrites.clear();
    }
    released.forEach(Runnable::run);
  }

  /** Pulls from now on read their page but mark it given only on {@link #releasePulls()}. */
  public synchronized void holdPulls() {
    holdingPulls = true;
  }

  /** Marks the held pulls' pages in the order they were pulled, completes them, stops holding. */
  public void releasePulls() {
    List<Runnable> held;
    synchronized (this) {
      holdingPulls = false;
      held = new ArrayList<>(heldMarks);
      heldMarks.clear();
    }
    held.forEach(Runnable::run);
  }

  @Override
  public synchronized Future<Void> open() {
    open = true;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> close() {
    open = false;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ping() {
    return read(() -> null);
  }

  @Override
  public Future<Long> maxMsgid() {
    return read(() -> maxMsgid);
  }

  /** Computed from the owner's history rows, as the embedded store does. */
  @Override
  public Future<Conversations> conversations(String owner, long before, int limit) {
    return read(
        () -> {
          List<MessageStore.Conversation> listed = new ArrayList<>();
          history.forEach(
              (conversation, rows) -> {
                if (!conversation.owner().equals(owner) || rows.isEmpty()) {
                  return;
                }
                Message last = rows.lastEntry().getValue();
                if (last.msgid() >= before) {
                  return;
                }
                String peer = conversation.peer();
                long read = reads.getOrDefault(List.of(owner, peer), 0L);
                long unread =
                    rows.tailMap(read, false).values().stream()
                        .filter(message -> message.fromUid().equals(peer))
                        .count();
                listed.add(new MessageStore.Conversation(peer, last.msgid(), read, unread, last));
              });
          groups.values().stream()
              .filter(group -> group.member(owner) != null)
              .map(group -> groupEntry(owner, group))
              .filter(entry -> entry.lastMsgid() < before)
              .forEach(listed::add);
          listed.sort(Comparator.comparingLong(MessageStore.Conversation::lastMsgid).reversed());
          boolean more = listed.size() > limit;
          return new Conversations(
              List.copyOf(listed.subList(0, Math.min(limit, listed.size()))), more);
        });
  }

  @Override
  public Future<ReadMark> markRead(String owner, String peer, long upto) {
    return write(
        () -> {
          checkKey("owner", owner);
          checkKey("peer", peer);
        },
        () -> {
          long read = reads.getOrDefault(List.of(owner, peer), 0L);
          if (upto <= read) {
            return new ReadMark(read, false);
          }
          reads.put(List.of(owner, peer), upto);
          return new ReadMark(upto, true);
        });
  }

  @Override
  public Future<Map<String, Positions>> positions(String owner, Set<String> peers) {
    return read(
        () -> {
          Map<String, Positions> positions = new HashMap<>();
          for (String peer : peers) {
            positions.put(
                peer,
                new Positions(
                    reads.getOrDefault(List.of(owner, peer), 0L),
                    reads.getOrDefault(List.of(peer, owner), 0L),
                    delivered.getOrDefault(List.of(peer, owner), 0L)));
          }
          return positions;
        });
  }

  @Override
  public Future<Set<Integer>> terminals(String uid) {
    return read(() -> Set.copyOf(terminals.getOrDefault(uid, new TreeSet<>())));
  }

  @Override
  public Future<Void> addTerminal(String uid, int appcode, long since) {
    return write(
        () -> checkKey("uid", uid),
        () -> {
          terminals.computeIfAbsent(uid, u -> new TreeSet<>()).add(appcode);
          return null;
        });
  }

  @Override
  public Future<Accepted> acceptC2c(Message message, String cmid, List<Message> candidates) {
    return write(
        () -> {
          checkMessage(message);
          checkKey("cmid", cmid);
        },
        () -> {
          SentCmid sent = new SentCmid(message.fromUid(), message.fromAppcode(), cmid);
          Accepted first = cmids.get(sent);
          if (first != null) {
            return new Accepted(first.msgid(), first.senddate(), true);
          }
          checkFree(
              "user_message",
              history.get(new Conversation(message.fromUid(), message.toUid())),
              message,
              true);
          checkFree(
              "user_message",
              history.get(new Conversation(message.toUid(), message.fromUid())),
              message,
              false);
          checkFree(
              "offline_message",
              offline.get(new Inbox(message.inboxUid(), message.inboxAppcode())),
              message,
              false);
          checkRoom(List.of(message));
          cmids.put(sent, new Accepted(message.msgid(), message.senddate(), false));
          keep(message);
          history
              .computeIfAbsent(
                  new Conversation(message.fromUid(), message.toUid()), c -> new TreeMap<>())
              .put(message.msgid(), message);
          history
              .computeIfAbsent(
                  new Conversation(message.toUid(), message.fromUid()), c -> new TreeMap<>())
              .put(message.msgid(), message);
          int max = options.offlineMaxPerUser();
          List<Message> copies = new ArrayList<>();
          for (Message copy : candidates) {
            if (!terminals.getOrDefault(copy.inboxUid(), Set.of()).contains(copy.inboxAppcode())) {
              continue;
            }
            copies.add(copy);
            Inbox inbox = new Inbox(copy.inboxUid(), copy.inboxAppcode());
            if (max == 0 || offline.getOrDefault(inbox, new TreeMap<>()).size() < max) {
              keep(copy);
            }
          }
          return new Accepted(message.msgid(), message.senddate(), false, copies);
        });
  }

  /** A group's entry in {@code owner}'s conversation list, as the contract has it. */
  private MessageStore.Conversation groupEntry(String owner, Group group) {
    Group.Member member = group.member(owner);
    NavigableMap<Long, Message> timeline = timelines.getOrDefault(group.groupId(), new TreeMap<>());
    long from = Math.max(member.read(), member.joined());
    long unread =
        timeline.tailMap(from, false).values().stream()
            .filter(message -> !message.fromUid().equals(owner))
            .count();
    Message last = timeline.isEmpty() ? null : timeline.lastEntry().getValue();
    return MessageStore.Conversation.ofGroup(
        group.groupId(),
        Math.max(group.lastMsgid(), member.joined()),
        member.read(),
        unread,
        last != null && last.msgid() > member.joined() ? last : null);
  }

  @Override
  public Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
    return write(
        () -> {
          checkKey("group_id", groupId);
          members.forEach(invitee -> checkKey("uid", invitee.uid()));
        },
        () -> {
          if (groups.containsKey(groupId)) {
            throw GroupRefusedException.exists(groupId);
          }
          List<Group.Member> added = new ArrayList<>();
          Set<String> uids = new HashSet<>();
          for (Group.Invitee invitee : members) {
            if (uids.add(invitee.uid())) {
              added.add(new Group.Member(invitee.uid(), invitee.appcode(), joined, 0));
            }
          }
          if (added.size() > maxMembers) {
            throw GroupRefusedException.full(groupId, maxMembers);
          }
          Group group = new Group(groupId, title, false, 0, added);
          groups.put(groupId, group);
          return group;
        });
  }

  @Override
  public Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    return write(
        () -> checkKey("group_id", groupId),
        () -> {
          Group group = openGroup(groupId);
          List<Group.Member> members = new ArrayList<>();
          for (Group.Member member : group.members()) {
            if (!remove.contains(member.uid())) {
              members.add(member);
            }
          }
          for (Group.Invitee invitee : add) {
            boolean known = members.stream().anyMatch(m -> m.uid().equals(invitee.uid()));
            if (!known && !remove.contains(invitee.uid())) {
              members.add(new Group.Member(invitee.uid(), invitee.appcode(), joined, 0));
            }
          }
          if (members.size() > maxMembers) {
            throw GroupRefusedException.full(groupId, maxMembers);
          }
          Group changed = new Group(groupId, group.title(), false, group.lastMsgid(), members);
          groups.put(groupId, changed);
          return changed;
        });
  }

  @Override
  public Future<Group> closeGroup(String groupId) {
    return write(
        () -> checkKey("group_id", groupId),
        () -> {
          Group group = existingGroup(groupId);
          Group closed =
              new Group(groupId, group.title(), true, group.lastMsgid(), group.members());
          groups.put(groupId, closed);
          return closed;
        });
  }

  @Override
  public Future<Group> group(String groupId) {
    return read(() -> existingGroup(groupId));
  }

  @Override
  public Future<Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout) {
    return write(
        () -> {
          checkKey("group_id", message.groupId());
          checkKey("cmid", cmid);
        },
        () -> {
          SentCmid sent = new SentCmid(message.fromUid(), message.fromAppcode(), cmid);
          Accepted first = cmids.get(sent);
          if (first != null) {
            return new Accepted(first.msgid(), first.senddate(), true);
          }
          Group group = openGroup(message.groupId());
          if (group.member(message.fromUid()) == null) {
            throw GroupRefusedException.notMember(message.fromUid(), message.groupId());
          }
          cmids.put(sent, new Accepted(message.msgid(), message.senddate(), false));
          timelines
              .computeIfAbsent(message.groupId(), g -> new TreeMap<>())
              .put(message.msgid(), message);
          groups.put(
              group.groupId(),
              new Group(
                  group.groupId(),
                  group.title(),
                  false,
                  Math.max(group.lastMsgid(), message.msgid()),
                  group.members()));
          maxMsgid = Math.max(maxMsgid, message.msgid());
          int max = options.offlineMaxPerUser();
          List<Message> rows = new ArrayList<>();
          for (Group.Member member : group.members()) {
            for (Message copy : fanout.copies(message, member)) {
              Inbox inbox = new Inbox(copy.inboxUid(), copy.inboxAppcode());
              boolean addressed = copy.addressed();
              boolean recorded =
                  terminals.getOrDefault(copy.inboxUid(), Set.of()).contains(copy.inboxAppcode());
              boolean room = max == 0 || offline.getOrDefault(inbox, new TreeMap<>()).size() < max;
              if ((addressed || recorded) && room) {
                keep(copy);
                rows.add(copy);
              }
            }
          }
          return new Accepted(message.msgid(), message.senddate(), false, rows);
        });
  }

  @Override
  public Future<Page> groupHistory(String groupId, long after, long before, int limit) {
    return read(
        () -> {
          checkLimit(limit);
          List<Message> rows =
              new ArrayList<>(
                  timelines
                      .getOrDefault(groupId, new TreeMap<>())
                      .subMap(after, false, before, false)
                      .descendingMap()
                      .values());
          return Page.of(rows.subList(0, Math.min(limit + 1, rows.size())), limit);
        });
  }

  @Override
  public Future<ReadMark> markGroupRead(String uid, String groupId, long upto) {
    return write(
        () -> checkKey("uid", uid),
        () -> {
          Group group = existingGroup(groupId);
          Group.Member member = group.member(uid);
          if (member == null) {
            throw GroupRefusedException.notMember(uid, groupId);
          }
          if (upto <= member.read()) {
            return new ReadMark(member.read(), false);
          }
          List<Group.Member> members = new ArrayList<>();
          for (Group.Member each : group.members()) {
            members.add(
                each.uid().equals(uid)
                    ? new Group.Member(uid, each.appcode(), each.joined(), upto)
                    : each);
          }
          groups.put(
              groupId,
              new Group(groupId, group.title(), group.closed(), group.lastMsgid(), members));
          return new ReadMark(upto, true);
        });
  }

  private Group existingGroup(String groupId) {
    Group group = groups.get(groupId);
    if (group == null) {
      throw GroupRefusedException.noSuchGroup(groupId);
    }
    return group;
  }

  private Group openGroup(String groupId) {
    Group group = existingGroup(groupId);
    if (group.closed()) {
      throw GroupRefusedException.closed(groupId);
    }
    return group;
  }

  @Override
  public Future<Void> storeOffline(List<Message> messages) {
    return write(
        () -> messages.forEach(InMemoryMessageStore::checkMessage),
        () -> {
          for (Message message : messages) {
            checkFree(
                "offline_message",
                offline.get(new Inbox(message.inboxUid(), message.inboxAppcode())),
                message,
                true);
          }
          checkRoom(messages);
          messages.forEach(this::keep);
          return null;
        });
  }

  /** Fails when {@code messages} would take a receiver past the offline cap. */
  private void checkRoom(List<Message> messages) {
    int max = options.offlineMaxPerUser();
    if (max == 0) {
      return;
    }
    Map<Inbox, Integer> after = new HashMap<>();
    for (Message message : messages) {
      Inbox inbox = new Inbox(message.inboxUid(), message.inboxAppcode());
      int count =
          after.computeIfAbsent(inbox, i -> offline.getOrDefault(i, new TreeMap<>()).size()) + 1;
      if (count > max) {
        throw new OfflineQuotaException(inbox.uid(), inbox.appcode(), max);
      }
      after.put(inbox, count);
    }
  }

  @Override
  public Future<Integer> purgeExpired(long now) {
    return write(
        () -> {},
        () -> {
          int purged = 0;
          if (!options.offlineRetention().isZero()) {
            purged += purge(offline.values(), now - options.offlineRetention().toMillis(), true);
          }
          if (!options.historyRetention().isZero()) {
            purged += purge(history.values(), now - options.historyRetention().toMillis(), false);
            purged += purge(timelines.values(), now - options.historyRetention().toMillis(), false);
          }
          return purged;
        });
  }

  /** Removes up to a batch of the rows of {@code tables} sent before {@code before}. */
  private int purge(
      Iterable<NavigableMap<Long, Message>> tables, long before, boolean offlineRows) {
    int purged = 0;
    for (NavigableMap<Long, Message> rows : tables) {
      Iterator<Message> messages = rows.values().iterator();
      while (messages.hasNext() && purged < options.purgeBatchRows()) {
        Message message = messages.next();
        if (message.senddate() < before) {
          messages.remove();
          if (offlineRows) {
            given.remove(Given.of(message));
          }
          purged++;
        }
      }
    }
    return purged;
  }

  /**
   * The receiver's rows above {@code after} and those never given, whatever their msgid, marked
   * given before the page completes; {@code firstGiven} lists the rows this pull marked.
   */
  @Override
  public Future<Pulled> pull(String uid, int appcode, long after, int limit) {
    Future<Page> read =
        read(
            () -> {
              checkLimit(limit);
              NavigableMap<Long, Message> inbox =
                  offline.getOrDefault(new Inbox(uid, appcode), new TreeMap<>());
              List<Message> rows = new ArrayList<>();
              inbox.forEach(
                  (msgid, message) -> {
                    if (msgid > after || !given.contains(new Given(uid, appcode, msgid))) {
                      rows.add(message);
                    }
                  });
              return Page.of(rows, limit);
            });
    return read.compose(
        page -> {
          synchronized (this) {
            if (!holdingPulls) {
              return Future.succeededFuture(
                  new Pulled(page.messages(), page.more(), mark(uid, appcode, page)));
            }
            Promise<Pulled> marked = Promise.promise();
            heldMarks.add(
                () ->
                    marked.complete(
                        new Pulled(page.messages(), page.more(), mark(uid, appcode, page))));
            return marked.future();
          }
        });
  }

  private synchronized Set<Long> mark(String uid, int appcode, Page page) {
    NavigableMap<Long, Message> inbox = offline.get(new Inbox(uid, appcode));
    Set<Long> changed = new LinkedHashSet<>();
    for (Message message : page.messages()) {
      if (inbox != null
          && inbox.containsKey(message.msgid())
          && given.add(new Given(uid, appcode, message.msgid()))) {
        changed.add(message.msgid());
        delivered(message);
      }
    }
    return changed;
  }

  /** Removes the rows up to {@code upto} that a pull has given; never-given rows stay. */
  @Override
  public Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
    return write(
        () -> {},
        () -> {
          NavigableMap<Long, Message> inbox = offline.get(new Inbox(uid, appcode));
          if (inbox == null) {
            return 0;
          }
          List<Long> removable = new ArrayList<>();
          inbox
              .headMap(upto, true)
              .keySet()
              .forEach(
                  msgid -> {
                    if (given.contains(new Given(uid, appcode, msgid))) {
                      removable.add(msgid);
                    }
                  });
          removable.forEach(
              msgid -> {
                delivered(inbox.remove(msgid));
                given.remove(new Given(uid, appcode, msgid));
              });
          return removable.size();
        });
  }

  @Override
  public Future<Integer> removeOfflineListed(String uid, int appcode, List<Long> msgids) {
    return write(
        () -> {},
        () -> {
          NavigableMap<Long, Message> inbox = offline.get(new Inbox(uid, appcode));
          int removed = 0;
          for (long msgid : new LinkedHashSet<>(msgids)) {
            Message message = inbox == null ? null : inbox.remove(msgid);
            if (message != null) {
              delivered(message);
              given.remove(new Given(uid, appcode, msgid));
              removed++;
            }
          }
          return removed;
        });
  }

  @Override
  public Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
    return write(
        () -> {},
        () -> {
          NavigableMap<Long, Message> inbox = offline.get(new Inbox(uid, appcode));
          given.remove(new Given(uid, appcode, msgid));
          Message message = inbox == null ? null : inbox.remove(msgid);
          delivered(message);
          return message != null;
        });
  }

  @Override
  public Future<Page> history(String owner, String peer, long before, int limit) {
    return read(
        () -> {
          checkLimit(limit);
          NavigableMap<Long, Message> rows =
              history.getOrDefault(new Conversation(owner, peer), new TreeMap<>());
          return Page.of(
              new ArrayList<>(rows.headMap(before, false).descendingMap().values()), limit);
        });
  }

  /**
   * Fails with a {@link MsgidConflictException} when {@code rows} hold another message under {@code
   * message}'s msgid, as the SQL stores do: the same message again (same sender, and same logid
   * when {@code sameLogid}) is the retry every write allows.
   */
  private static void checkFree(
      String table, NavigableMap<Long, Message> rows, Message message, boolean sameLogid) {
    Message stored = rows == null ? null : rows.get(message.msgid());
    if (stored != null
        && (!stored.fromUid().equals(message.fromUid())
            || stored.fromAppcode() != message.fromAppcode()
            || (sameLogid && !stored.logid().equals(message.logid())))) {
      throw new MsgidConflictException(
          table,
          message.msgid(),
          stored.fromUid() + " " + stored.logid(),
          message.fromUid() + " " + message.logid());
    }
  }

  /** The offline row of {@code message}: a duplicate msgid is the same row, written once. */
  private void keep(Message message) {
    offline
        .computeIfAbsent(
            new Inbox(message.inboxUid(), message.inboxAppcode()), i -> new TreeMap<>())
        .putIfAbsent(message.msgid(), message);
    maxMsgid = Math.max(maxMsgid, message.msgid());
  }

  private synchronized <T> Future<T> read(Supplier<T> operation) {
    Throwable refusal = refusal();
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    try {
      return Future.succeededFuture(operation.get());
    } catch (IllegalArgumentException | GroupRefusedException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Checks the input at once (bad input fails alone, as in the SQL stores), then applies the write
   * now or, while holding, on release.
   */
  private synchronized <T> Future<T> write(Runnable check, Supplier<T> apply) {
    Throwable refusal = refusal();
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!holding) {
      try {
        return Future.succeededFuture(apply.get());
      } catch (MsgidConflictException | OfflineQuotaException | GroupRefusedException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<T> durable = Promise.promise();
    heldWrites.add(
        () -> {
          T result;
          synchronized (this) {
            try {
              result = apply.get();
            } catch (MsgidConflictException | OfflineQuotaException | GroupRefusedException e) {
              durable.fail(e);
              return;
            }
          }
          durable.complete(result);
        });
    return durable.future();
  }

  private Throwable refusal() {
    if (down != null) {
      return down;
    }
    return open ? null : new IllegalStateException("message store is closed");
  }

  private static void checkMessage(Message message) {
    if (message.msgid() <= 0) {
      throw new IllegalArgumentException("msgid must be positive, got " + message.msgid());
    }
    checkKey("to_uid", message.toUid());
    checkKey("logid", message.logid());
    if (message.fromUid().length() > SqlMessageStore.MAX_KEY_CHARS) {
      throw new IllegalArgumentException("from_uid too long");
    }
  }

  private static void checkKey(String name, String value) {
    if (value == null || value.isEmpty() || value.length() > SqlMessageStore.MAX_KEY_CHARS) {
      throw new IllegalArgumentException(
          name + " must be 1-" + SqlMessageStore.MAX_KEY_CHARS + " characters");
    }
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > SqlMessageStore.MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1-" + SqlMessageStore.MAX_PAGE);
    }
  }

  private record Inbox(String uid, int appcode) {}

  /** A row of an inbox that a pull has given. */
  private record Given(String uid, int appcode, long msgid) {
    static Given of(Message row) {
      return new Given(row.inboxUid(), row.inboxAppcode(), row.msgid());
    }
  }

  /**
   * A terminal of the receiver got {@code row} (ack or pull): the receiver's delivered position of
   * the conversation moves up to it. A sync copy, in the sender's own inbox, is no delivery.
   */
  private void delivered(Message row) {
    if (row != null && row.kind() == Kind.C2C && row.inboxUid().equals(row.toUid())) {
      delivered.merge(List.of(row.toUid(), row.fromUid()), row.msgid(), Math::max);
    }
  }

  /** The history rows {@code owner} keeps of its conversation with {@code peer}. */
  private record Conversation(String owner, String peer) {}

  private record SentCmid(String fromUid, int fromAppcode, String cmid) {}
}
