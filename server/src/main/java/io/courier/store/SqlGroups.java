package io.courier.store;

import static io.courier.store.StoreInput.checkKey;
import static io.courier.store.StoreInput.checkLimit;
import static io.courier.store.StoreInput.checked;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The group operations of {@link MessageStore} over one or more MySQL shards (docs/groups.md,
 * section 4): the group row, member rows and timeline on the shard of {@code group_id}, each
 * member's offline rows and index row on the member's shard ({@link Shards}).
 *
 * <p>A group message is one transaction on the group's shard (dedup row, membership read, timeline
 * row, last msgid, and the offline rows of the members on that shard), then one transaction on each
 * other shard that holds members, with their offline rows; it is answered after the last commit.
 * The timeline row is marked fanned out in the first transaction when no other shard has members,
 * else by one more write on the group's shard once every member shard committed. If a member shard
 * fails the sender gets the failure (503) and resends its cmid: the dedup row gives the first
 * msgid, and a timeline row not marked fanned out has its other shards' rows written again from the
 * stored message, for the members (of the other shards) that joined before it. A member whose row
 * was written and acknowledged gets the message again, with its msgid, which clients deduplicate;
 * none loses it, with one exception: the repair reads the membership as it is at the resend, so a
 * member removed between the failure and the resend is not repaired. Keeping the first write's
 * member list in the timeline row until it is fanned out was rejected: up to the group's maximum of
 * uids written and cleared again with every cross-shard message, for a resend that races a removal.
 * On a single shard everything is the first transaction.
 *
 * <p>A group change commits on the group's shard with the index rows of the members there. The
 * other shards' index rows are written idempotently in a step of their own: those of the members
 * added (or created) before the group's transaction, those of the members removed after it. So an
 * index row exists for every member whatever fails; a failure fails the request (503), possibly
 * with the group already changed, and a retry of the same request converges (a retried create
 * answers 409 then, its index rows in place). What a failure can leave is an index row of a user
 * that is no member (invited by a create or add that was refused, or whose removal's second step
 * failed): {@link #conversations} reads a group's entry through the membership, so such a row is
 * never listed, and the next removal of that uid deletes it.
 */
final class SqlGroups {
  /** Longest group title; TEXT holds 65,535 bytes, 4 per character at worst. */
  static final int MAX_TITLE_CHARS = 16_000;

  /** Most groups named in one look-up of a user's conversation entries. */
  private static final int MAX_GROUPS_PER_READ = 128;

  private static final String GROUP =
      "SELECT g.title, g.closed, g.last_msgid, m.uid, m.appcode, m.joined, m.read_upto"
          + " FROM chat_group g LEFT JOIN group_member m ON m.group_id = g.group_id"
          + " WHERE g.group_id = ? ORDER BY m.position";
  private static final String HISTORY =
      "SELECT msgid, kind, from_uid, from_appcode, msgtype, msgcontent, senddate, logid"
          + " FROM group_message WHERE group_id = ? AND msgid > ? AND msgid < ?"
          + " ORDER BY group_id DESC, msgid DESC LIMIT ?";
  private static final String GROUPS_OF = "SELECT group_id FROM user_group WHERE uid = ?";

  /**
   * Element {@code i}: the conversation entries of a member in {@code 2^i} of its groups, each with
   * the group's last message when the member sees it and its unread count, in one statement (one
   * snapshot of the group's shard). The count walks the timeline's primary key from the later of
   * the read position and the join point.
   */
  private static final String[] ENTRIES = new String[8];

  static {
    for (int slot = 0; slot < ENTRIES.length; slot++) {
      ENTRIES[slot] =
          "SELECT m.group_id, GREATEST(g.last_msgid, m.joined) AS sort_msgid, m.read_upto,"
              + " (SELECT COUNT(*) FROM group_message t WHERE t.group_id = m.group_id"
              + " AND t.msgid > GREATEST(m.read_upto, m.joined) AND t.msgid <= g.last_msgid"
              + " AND t.from_uid <> m.uid) AS unread,"
              + " l.msgid, l.kind, l.from_uid, l.from_appcode, l.msgtype, l.msgcontent,"
              + " l.senddate, l.logid"
              + " FROM group_member m JOIN chat_group g ON g.group_id = m.group_id"
              + " LEFT JOIN group_message l ON l.group_id = g.group_id"
              + " AND l.msgid = g.last_msgid AND g.last_msgid > m.joined"
              + " WHERE m.uid = ? AND m.group_id IN ("
              + String.join(", ", Collections.nCopies(1 << slot, "?"))
              + ") AND GREATEST(g.last_msgid, m.joined) < ?"
              + " ORDER BY sort_msgid DESC LIMIT ?";
    }
  }

  private final List<SqlMessageStore> shards;

  SqlGroups(List<SqlMessageStore> shards) {
    this.shards = List.copyOf(shards);
  }

  private SqlMessageStore shard(String key) {
    return shards.get(Shards.of(key, shards.size()));
  }

  /** Whether a uid's rows live on {@code shard}. */
  private Predicate<String> on(SqlMessageStore shard) {
    return uid -> shard(uid) == shard;
  }

  Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          checkTitle(title);
          members.forEach(invitee -> checkKey("uid", invitee.uid()));
        },
        () -> {
          SqlMessageStore home = shard(groupId);
          List<Group.Invitee> invitees = distinct(members, Set.of());
          return index(groupId, home, uids(invitees), List.of())
              .compose(
                  v ->
                      home.write(
                          new SqlGroupChanges.CreateGroup(
                              groupId, title, invitees, joined, maxMembers, on(home))));
        });
  }

  Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          add.forEach(invitee -> checkKey("uid", invitee.uid()));
          remove.forEach(uid -> checkKey("uid", uid));
        },
        () -> {
          SqlMessageStore home = shard(groupId);
          Set<String> removed = new LinkedHashSet<>(remove);
          List<Group.Invitee> added = distinct(add, removed);
          return index(groupId, home, uids(added), List.of())
              .compose(
                  v ->
                      home.write(
                          new SqlGroupChanges.ChangeMembers(
                              groupId, added, removed, joined, maxMembers, on(home))))
              .compose(group -> index(groupId, home, List.of(), List.copyOf(removed)).map(group));
        });
  }

  /** The first listing of each uid, but those in {@code removed}. */
  private static List<Group.Invitee> distinct(List<Group.Invitee> invitees, Set<String> removed) {
    Map<String, Group.Invitee> first = new LinkedHashMap<>();
    for (Group.Invitee invitee : invitees) {
      if (!removed.contains(invitee.uid())) {
        first.putIfAbsent(invitee.uid(), invitee);
      }
    }
    return List.copyOf(first.values());
  }

  private static List<String> uids(List<Group.Invitee> invitees) {
    return invitees.stream().map(Group.Invitee::uid).toList();
  }

  /**
   * Writes the index rows of {@code add} and deletes those of {@code remove} on their shards but
   * {@code home} (whose rows the group's own transaction writes), one write per shard.
   */
  private Future<Void> index(
      String groupId, SqlMessageStore home, List<String> add, List<String> remove) {
    Map<SqlMessageStore, List<String>> adds = new LinkedHashMap<>();
    Map<SqlMessageStore, List<String>> removes = new LinkedHashMap<>();
    for (String uid : add) {
      if (shard(uid) != home) {
        adds.computeIfAbsent(shard(uid), s -> new ArrayList<>()).add(uid);
      }
    }
    for (String uid : remove) {
      if (shard(uid) != home) {
        removes.computeIfAbsent(shard(uid), s -> new ArrayList<>()).add(uid);
      }
    }
    Set<SqlMessageStore> touched = new LinkedHashSet<>(adds.keySet());
    touched.addAll(removes.keySet());
    List<Future<Void>> writes = new ArrayList<>();
    for (SqlMessageStore shard : touched) {
      writes.add(
          shard.write(
              new SqlGroupChanges.GroupIndex(
                  groupId,
                  adds.getOrDefault(shard, List.of()),
                  removes.getOrDefault(shard, List.of()))));
    }
    return Future.all(writes).mapEmpty();
  }

  Future<Group> closeGroup(String groupId) {
    return checked(
        () -> checkKey("group_id", groupId),
        () -> shard(groupId).write(new SqlGroupChanges.CloseGroup(groupId)));
  }

  Future<Group> group(String groupId) {
    return checked(
        () -> checkKey("group_id", groupId),
        () ->
            shard(groupId)
                .read(GROUP, Tuple.of(groupId))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(GroupRefusedException.noSuchGroup(groupId));
                      }
                      List<Group.Member> members = new ArrayList<>();
                      Row first = null;
                      for (Row row : rows) {
                        first = first == null ? row : first;
                        if (row.getString("uid") != null) {
                          members.add(SqlGroupChanges.member(row));
                        }
                      }
                      return Future.succeededFuture(
                          new Group(
                              groupId,
                              first.getString("title"),
                              first.getInteger("closed") != 0,
                              first.getLong("last_msgid"),
                              members));
                    }));
  }

  Future<MessageStore.Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout) {
    return checked(
        () -> {
          checkGroupMessage(message);
          checkKey("cmid", cmid);
        },
        () -> {
          SqlMessageStore home = shard(message.groupId());
          return home.write(new SqlGroupMessages.AcceptC2g(message, cmid, fanout, on(home)))
              .compose(
                  fanned ->
                      fanned.complete()
                          ? Future.succeededFuture(fanned.accepted())
                          : fanOut(home, message.groupId(), fanned));
        });
  }

  /**
   * Writes the other shards' offline rows, then marks the timeline row fanned out; the answer of a
   * new message has every row written as its copies.
   */
  private Future<MessageStore.Accepted> fanOut(
      SqlMessageStore home, String groupId, SqlGroupMessages.Fanout fanned) {
    Map<SqlMessageStore, List<Message>> byShard = new LinkedHashMap<>();
    for (Message copy : fanned.remote()) {
      byShard.computeIfAbsent(shard(copy.inboxUid()), s -> new ArrayList<>()).add(copy);
    }
    List<Future<List<Message>>> writes = new ArrayList<>();
    byShard.forEach(
        (shard, part) -> writes.add(shard.write(new SqlGroupMessages.MemberCopies(part))));
    MessageStore.Accepted accepted = fanned.accepted();
    return Future.all(writes)
        .compose(all -> home.write(new SqlGroupMessages.MarkFannedOut(groupId, accepted.msgid())))
        .map(
            marked -> {
              if (accepted.duplicate()) {
                return accepted;
              }
              List<Message> copies = new ArrayList<>(accepted.copies());
              writes.forEach(write -> copies.addAll(write.result()));
              return new MessageStore.Accepted(
                  accepted.msgid(), accepted.senddate(), false, copies);
            });
  }

  Future<MessageStore.Page> groupHistory(String groupId, long after, long before, int limit) {
    return checked(
        () -> {
          checkKey("group_id", groupId);
          checkLimit(limit);
        },
        () ->
            shard(groupId)
                .read(HISTORY, Tuple.of(groupId, after, before, limit + 1))
                .map(
                    rows -> {
                      List<Message> messages = new ArrayList<>(rows.size());
                      rows.forEach(
                          row -> messages.add(SqlGroupMessages.timelineMessage(row, groupId)));
                      return MessageStore.Page.of(messages, limit);
                    }));
  }

  Future<MessageStore.ReadMark> markGroupRead(String uid, String groupId, long upto) {
    return checked(
        () -> {
          checkKey("uid", uid);
          checkKey("group_id", groupId);
        },
        () -> shard(groupId).write(new SqlGroupChanges.MarkGroupRead(uid, groupId, upto)));
  }

  /**
   * The owner's two-person conversations and groups below {@code before}, newest first: the first
   * from the owner's shard, the second from its index rows there and each group's shard (one
   * statement per shard and {@value #MAX_GROUPS_PER_READ} groups). A group's sort key is the later
   * of its last msgid and the owner's join point; the page is cut across both kinds.
   */
  Future<MessageStore.Conversations> conversations(String owner, long before, int limit) {
    return checked(
        () -> {
          checkKey("owner", owner);
          checkLimit(limit);
        },
        () -> {
          SqlMessageStore own = shard(owner);
          Future<List<MessageStore.Conversation>> twoPerson =
              own.twoPersonConversations(owner, before, limit + 1);
          Future<List<MessageStore.Conversation>> groups =
              own.read(GROUPS_OF, Tuple.of(owner))
                  .compose(
                      rows -> {
                        List<String> groupIds = new ArrayList<>();
                        rows.forEach(row -> groupIds.add(row.getString("group_id")));
                        return groupEntries(owner, groupIds, before, limit + 1);
                      });
          return Future.all(twoPerson, groups)
              .map(
                  both -> {
                    List<MessageStore.Conversation> all = new ArrayList<>(twoPerson.result());
                    all.addAll(groups.result());
                    all.sort(
                        Comparator.comparingLong(MessageStore.Conversation::lastMsgid).reversed());
                    return all.size() > limit
                        ? new MessageStore.Conversations(all.subList(0, limit), true)
                        : new MessageStore.Conversations(all, false);
                  });
        });
  }

  private Future<List<MessageStore.Conversation>> groupEntries(
      String owner, List<String> groupIds, long before, int limit) {
    Map<SqlMessageStore, List<String>> byShard = new LinkedHashMap<>();
    groupIds.forEach(id -> byShard.computeIfAbsent(shard(id), s -> new ArrayList<>()).add(id));
    List<Future<List<MessageStore.Conversation>>> reads = new ArrayList<>();
    byShard.forEach(
        (shard, ids) -> {
          for (int from = 0; from < ids.size(); from += MAX_GROUPS_PER_READ) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + MAX_GROUPS_PER_READ));
            reads.add(entries(shard, owner, part, before, limit));
          }
        });
    return Future.all(reads)
        .map(
            all -> {
              List<MessageStore.Conversation> entries = new ArrayList<>();
              reads.forEach(read -> entries.addAll(read.result()));
              return entries;
            });
  }

  /**
   * One statement for up to {@value #MAX_GROUPS_PER_READ} groups, padded to a power of two by
   * repeating the last id, so that the prepared-statement cache holds eight texts.
   */
  private static Future<List<MessageStore.Conversation>> entries(
      SqlMessageStore shard, String owner, List<String> groupIds, long before, int limit) {
    int size = Integer.highestOneBit(groupIds.size());
    size = size < groupIds.size() ? size << 1 : size;
    Tuple args = Tuple.of(owner);
    for (int i = 0; i < size; i++) {
      args.addString(groupIds.get(Math.min(i, groupIds.size() - 1)));
    }
    args.addLong(before).addInteger(limit);
    return shard
        .read(ENTRIES[Integer.numberOfTrailingZeros(size)], args)
        .map(
            rows -> {
              List<MessageStore.Conversation> entries = new ArrayList<>();
              for (Row row : rows) {
                String groupId = row.getString("group_id");
                entries.add(
                    MessageStore.Conversation.ofGroup(
                        groupId,
                        row.getLong("sort_msgid"),
                        row.getLong("read_upto"),
                        row.getLong("unread"),
                        row.getValue("msgid") == null
                            ? null
                            : SqlGroupMessages.timelineMessage(row, groupId)));
              }
              return entries;
            });
  }

  /**
   * A group message as {@link MessageStore#acceptC2g} takes it: addressed to no one, in a group,
   * within the columns' sizes.
   */
  private static void checkGroupMessage(Message message) {
    if (message.kind() != Kind.C2G) {
      throw new IllegalArgumentException("a group message has kind c2g, got " + message.kind());
    }
    if (message.msgid() <= 0) {
      throw new IllegalArgumentException("msgid must be positive, got " + message.msgid());
    }
    checkKey("group_id", message.groupId());
    checkKey("from_uid", message.fromUid());
    checkKey("logid", message.logid());
    if (message.content() == null || message.content().length() > MessageStore.MAX_CONTENT_CHARS) {
      throw new IllegalArgumentException(
          "content must be present and at most " + MessageStore.MAX_CONTENT_CHARS + " characters");
    }
  }

  private static void checkTitle(String title) {
    if (title != null && title.length() > MAX_TITLE_CHARS) {
      throw new IllegalArgumentException("title longer than " + MAX_TITLE_CHARS + " characters");
    }
  }
}
