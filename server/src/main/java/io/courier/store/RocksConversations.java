package io.courier.store;

import io.courier.message.Message;
import io.courier.store.MessageStore.Conversation;
import io.courier.store.MessageStore.Conversations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rocksdb.RocksDBException;

/**
 * {@link MessageStore#conversations} on the embedded store, read on a reader thread: the owner's
 * two-person conversations from its history rows, and its groups from its user group keys, merged
 * by last activity.
 *
 * @implNote Two-person conversations are computed from the owner's history rows, which are grouped
 *     by conversation: one seek to each conversation's first row finds its peer, one backwards seek
 *     its last row. Keeping each conversation's last msgid and a key per conversation in an index
 *     by last activity, as the MySQL store does, was measured first: four more writes per C2C on
 *     the single writer; with it the node spent about a third more CPU per C2C than before this
 *     feature, without it about a quarter (docs/benchmarks.md section 13, series 4 and 5). A group
 *     costs a point read of its row and of the owner's member row; its last msgid is in its row,
 *     written with each message. Only the entries of the page are then completed: their last
 *     message and an exact unread count, a range of their history rows or timeline.
 */
final class RocksConversations {
  private final RocksDatabase db;

  RocksConversations(RocksDatabase db) {
    this.db = db;
  }

  Conversations list(String owner, long before, int limit) throws RocksDBException {
    List<Entry> entries = new ArrayList<>(lasts(owner, before));
    entries.addAll(groups(owner, before));
    entries.sort(Comparator.comparingLong(Entry::msgid).reversed());
    List<Conversation> page = new ArrayList<>();
    for (Entry entry : entries.subList(0, Math.min(limit, entries.size()))) {
      page.add(
          entry instanceof Last last
              ? conversation(owner, last)
              : groupConversation(owner, (GroupEntry) entry));
    }
    return new Conversations(page, entries.size() > limit);
  }

  /** An entry of the list before it is completed, by its place in the list. */
  private interface Entry {
    long msgid();
  }

  /** The last message of a conversation with {@code peer}. */
  private record Last(String peer, long msgid, Message message) implements Entry {}

  /**
   * A group of the owner: its place ({@code msgid}: the later of its last message and the owner's
   * join point), its last msgid and the owner's member row.
   */
  private record GroupEntry(String groupId, long msgid, long lastMsgid, RocksGroup.Member member)
      implements Entry {}

  /**
   * The last history row of each of {@code owner}'s conversations whose last row is below {@code
   * before}.
   */
  private List<Last> lasts(String owner, long before) {
    byte[] ownerPrefix = RocksKeys.terminals(owner);
    byte[] ownerEnd = RocksKeys.prefixEnd(ownerPrefix);
    List<Last> lasts = new ArrayList<>();
    byte[] cursor = ownerPrefix;
    while (true) {
      byte[][] first = {null};
      db.scan(
          db.history,
          cursor,
          ownerEnd,
          false,
          (key, value) -> {
            first[0] = key;
            return false;
          });
      if (first[0] == null) {
        return lasts;
      }
      RocksKeys.Reader reader = new RocksKeys.Reader(first[0], 0);
      reader.text();
      String peer = reader.text();
      byte[] conversation = RocksKeys.conversation(owner, peer);
      byte[][] last = {null, null};
      byte[] conversationEnd = RocksKeys.prefixEnd(conversation);
      db.scan(
          db.history,
          conversation,
          conversationEnd,
          true,
          (key, value) -> {
            last[0] = key;
            last[1] = value;
            return false;
          });
      long msgid = RocksKeys.msgidOf(last[0]);
      if (msgid < before) {
        lasts.add(new Last(peer, msgid, RocksRows.message(last[0], last[1])));
      }
      cursor = conversationEnd;
    }
  }

  /**
   * One entry of the list: the row's read position, and the peer's messages after it up to the last
   * one, counted from the history rows.
   */
  private Conversation conversation(String owner, Last last) throws RocksDBException {
    byte[] conversation = RocksKeys.conversation(owner, last.peer());
    RocksRows.Conversation row = RocksRows.conversation(db.get(db.conversation, conversation));
    long[] unread = {0};
    if (last.msgid() > row.read()) {
      db.scan(
          db.history,
          RocksKeys.withMsgid(conversation, row.read() + 1),
          RocksKeys.withMsgid(conversation, last.msgid() + 1),
          false,
          (key, value) -> {
            if (!RocksRows.sender(value).uid().equals(owner)) {
              unread[0]++;
            }
            return true;
          });
    }
    return new Conversation(last.peer(), last.msgid(), row.read(), unread[0], last.message());
  }

  /**
   * The groups {@code owner} is a member of whose place is below {@code before}. A user group key
   * is written and deleted with its member row, so each has one; one read without the other (a
   * membership changing between the two reads) is left out, as the change would leave it.
   */
  private List<GroupEntry> groups(String owner, long before) throws RocksDBException {
    byte[] prefix = RocksKeys.userGroups(owner);
    List<String> groupIds = new ArrayList<>();
    db.scan(
        db.userGroup,
        prefix,
        RocksKeys.prefixEnd(prefix),
        false,
        (key, value) -> {
          groupIds.add(RocksKeys.groupOfUserGroup(key));
          return true;
        });
    List<GroupEntry> groups = new ArrayList<>(groupIds.size());
    for (String groupId : groupIds) {
      byte[] memberKey = RocksKeys.member(groupId, owner);
      byte[] member = db.get(db.groupMember, memberKey);
      byte[] row = db.get(db.group, RocksKeys.group(groupId));
      if (member == null || row == null) {
        continue;
      }
      RocksGroup.Member own = RocksRows.member(memberKey, member);
      long lastMsgid = RocksRows.group(row).lastMsgid();
      long place = Math.max(lastMsgid, own.joined());
      if (place < before) {
        groups.add(new GroupEntry(groupId, place, lastMsgid, own));
      }
    }
    return groups;
  }

  /**
   * A group's entry: its last message when the owner sees it (above its join point), and the other
   * members' messages above the owner's read position and join point up to the last one, counted
   * from the timeline.
   */
  private Conversation groupConversation(String owner, GroupEntry entry) throws RocksDBException {
    RocksGroup.Member member = entry.member();
    byte[] group = RocksKeys.group(entry.groupId());
    Message last = null;
    if (entry.lastMsgid() > member.joined()) {
      byte[] lastKey = RocksKeys.withMsgid(group, entry.lastMsgid());
      byte[] value = db.get(db.groupTimeline, lastKey);
      last = value == null ? null : RocksRows.message(lastKey, value);
    }
    long seen = Math.max(member.read(), member.joined());
    long[] unread = {0};
    if (entry.lastMsgid() > seen) {
      db.scan(
          db.groupTimeline,
          RocksKeys.withMsgid(group, seen + 1),
          RocksKeys.withMsgid(group, entry.lastMsgid() + 1),
          false,
          (key, row) -> {
            if (!RocksRows.sender(row).uid().equals(owner)) {
              unread[0]++;
            }
            return true;
          });
    }
    return Conversation.ofGroup(entry.groupId(), entry.msgid(), member.read(), unread[0], last);
  }
}
