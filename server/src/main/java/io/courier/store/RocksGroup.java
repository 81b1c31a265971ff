package io.courier.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group as the embedded store keeps it (docs/groups.md): its row and its member rows, and what
 * each group operation makes of them, refusals included. It reads and writes nothing itself: the
 * writer ({@link RocksWrites}) loads one, asks it for the next state and writes the difference
 * ({@link #changedMembers}, {@link #removedMembers}); readers turn one into a {@link Group}.
 */
final class RocksGroup {
  private final String groupId;
  private final Row row;
  private final Map<String, Member> members;

  /**
   * A group's row.
   *
   * @param added how many members were ever added: the order of the next one
   */
  record Row(String title, boolean closed, long lastMsgid, long added) {}

  /**
   * A member's row.
   *
   * @param order the group's {@code added} when it joined: members are listed by it
   */
  record Member(String uid, int appcode, long joined, long read, long order) {
    Group.Member toMember() {
      return new Group.Member(uid, appcode, joined, read);
    }
  }

  private RocksGroup(String groupId, Row row, Collection<Member> members) {
    this.groupId = groupId;
    this.row = row;
    this.members = new LinkedHashMap<>();
    members.stream()
        .sorted(Comparator.comparingLong(Member::order))
        .forEach(member -> this.members.put(member.uid(), member));
  }

  /** The group stored as {@code row} and {@code members}, in any order. */
  static RocksGroup of(String groupId, Row row, Collection<Member> members) {
    return new RocksGroup(groupId, row, members);
  }

  /**
   * A new group of {@code invitees} joining at {@code joined}, an invitee listed twice once with
   * its first appcode.
   *
   * @throws GroupRefusedException 413 when there are more than {@code maxMembers}
   */
  static RocksGroup create(
      String groupId, String title, List<Group.Invitee> invitees, long joined, int maxMembers) {
    RocksGroup empty = new RocksGroup(groupId, new Row(title, false, 0, 0), List.of());
    RocksGroup created = empty.withAdded(invitees, Set.of(), joined);
    if (created.members.size() > maxMembers) {
      throw GroupRefusedException.full(groupId, maxMembers);
    }
    return created;
  }

  /**
   * This group with {@code add} and without {@code remove}: a member added again keeps its row, a
   * uid in both lists is removed.
   *
   * @throws GroupRefusedException 410 when the group is closed, 413 when it adds members and then
   *     has more than {@code maxMembers} (a change that only removes is never refused, even in a
   *     group larger than a maximum lowered since)
   */
  RocksGroup changed(List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    if (row.closed()) {
      throw GroupRefusedException.closed(groupId);
    }
    Set<String> removed = new HashSet<>(remove);
    RocksGroup changed = withAdded(add, removed, joined);
    changed.members.keySet().removeAll(removed);
    if (changed.row.added() > row.added() && changed.members.size() > maxMembers) {
      throw GroupRefusedException.full(groupId, maxMembers);
    }
    return changed;
  }

  private RocksGroup withAdded(List<Group.Invitee> add, Set<String> skipped, long joined) {
    List<Member> after = new ArrayList<>(members.values());
    Set<String> uids = new HashSet<>(members.keySet());
    long added = row.added();
    for (Group.Invitee invitee : add) {
      if (!skipped.contains(invitee.uid()) && uids.add(invitee.uid())) {
        after.add(new Member(invitee.uid(), invitee.appcode(), joined, 0, added++));
      }
    }
    return new RocksGroup(
        groupId, new Row(row.title(), row.closed(), row.lastMsgid(), added), after);
  }

  /** This group closed; the same group when it is closed already. */
  RocksGroup closed() {
    return row.closed()
        ? this
        : new RocksGroup(
            groupId, new Row(row.title(), true, row.lastMsgid(), row.added()), members.values());
  }

  /** This group with the message {@code msgid} accepted: its last msgid only moves forward. */
  RocksGroup withMessage(long msgid) {
    return new RocksGroup(
        groupId,
        new Row(row.title(), row.closed(), Math.max(row.lastMsgid(), msgid), row.added()),
        members.values());
  }

  String groupId() {
    return groupId;
  }

  Row row() {
    return row;
  }

  /** The member {@code uid}, null when it is none. */
  Member member(String uid) {
    return members.get(uid);
  }

  /** The members, in the order they were added. */
  Collection<Member> members() {
    return members.values();
  }

  /** The members of this group whose rows {@code before} does not have as they are here. */
  List<Member> changedMembers(RocksGroup before) {
    List<Member> changed = new ArrayList<>();
    for (Member member : members.values()) {
      if (before == null || !member.equals(before.members.get(member.uid()))) {
        changed.add(member);
      }
    }
    return changed;
  }

  /** The uids that were members {@code before} and are not here. */
  List<String> removedMembers(RocksGroup before) {
    List<String> removed = new ArrayList<>();
    if (before != null) {
      for (String uid : before.members.keySet()) {
        if (!members.containsKey(uid)) {
          removed.add(uid);
        }
      }
    }
    return removed;
  }

  Group toGroup() {
    return new Group(
        groupId,
        row.title(),
        row.closed(),
        row.lastMsgid(),
        members.values().stream().map(Member::toMember).toList());
  }
}
