package io.courier.bench;

import io.courier.protocol.body.GroupRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is in which group of {@code bench group}: {@code groups} groups of {@code members} members,
 * each member one connection of this process. Connection {@code i} is member {@code i % members}
 * (its slot) of group {@code i / members}; the first {@code sendersPerGroup} slots of each group
 * send.
 *
 * <p>Group ids and uids carry the run's tag ({@code bench-<tag>-<g>}, {@code
 * grp-<tag>-<g>-<slot>}), so every run creates new groups (a create of an existing id is refused
 * with 409) and logs in users with empty inboxes: a message left over from an earlier run would
 * otherwise arrive as unexpected.
 */
final class GroupPlan {
  /** A group of one would have nobody to deliver to. */
  static final int MIN_MEMBERS = 2;

  private final String runTag;
  private final int groups;
  private final int members;
  private final int sendersPerGroup;
  private final int appcode;

  private GroupPlan(String runTag, int groups, int members, int sendersPerGroup, int appcode) {
    this.runTag = runTag;
    this.groups = groups;
    this.members = members;
    this.sendersPerGroup = sendersPerGroup;
    this.appcode = appcode;
  }

  /**
   * The plan of a run tagged {@code runTag}, all members on {@code appcode}.
   *
   * @throws IllegalArgumentException as {@link #check}
   */
  static GroupPlan of(String runTag, int groups, int members, int sendersPerGroup, int appcode) {
    check(groups, members, sendersPerGroup);
    return new GroupPlan(runTag, groups, members, sendersPerGroup, appcode);
  }

  /**
   * Refuses a layout the bench cannot run, with a message for the user: more senders than members,
   * fewer than {@link #MIN_MEMBERS} members, or more connections than one process may hold (a
   * group's members must all be in one process, which checks every delivery).
   */
  static void check(int groups, int members, int sendersPerGroup) {
    if (groups < 1) {
      throw new IllegalArgumentException("--groups must be >= 1, got " + groups);
    }
    if (members < MIN_MEMBERS) {
      throw new IllegalArgumentException(
          "--members must be >= " + MIN_MEMBERS + ", got " + members);
    }
    if (sendersPerGroup < 1 || sendersPerGroup > members) {
      throw new IllegalArgumentException(
          "--senders-per-group must be 1-" + members + " (--members), got " + sendersPerGroup);
    }
    long connections = (long) groups * members;
    if (connections > SourcePlan.MAX_PER_PROCESS) {
      throw new IllegalArgumentException(
          String.format(
              "--groups %,d x --members %,d = %,d connections, but one process may open at most %,d"
                  + " (the machine allows 20,000 file descriptors per process)",
              groups, members, connections, SourcePlan.MAX_PER_PROCESS));
    }
  }

  int groups() {
    return groups;
  }

  int members() {
    return members;
  }

  int appcode() {
    return appcode;
  }

  /** Connections of the run: every member of every group. */
  int connections() {
    return groups * members;
  }

  /** Senders of the run, all groups together. */
  int senders() {
    return groups * sendersPerGroup;
  }

  /** Members that get each message: all but its sender, whose only terminal is the sending one. */
  int recipientsPerMessage() {
    return members - 1;
  }

  int groupOf(int connection) {
    return connection / members;
  }

  int slotOf(int connection) {
    return connection % members;
  }

  boolean sends(int connection) {
    return slotOf(connection) < sendersPerGroup;
  }

  String groupId(int group) {
    return "bench-" + runTag + "-" + group;
  }

  String uid(int connection) {
    return "grp-" + runTag + "-" + groupOf(connection) + "-" + slotOf(connection);
  }

  /** The uids of every connection, in connection order (the {@link Fleet}'s order). */
  List<String> uids() {
    List<String> uids = new ArrayList<>(connections());
    for (int i = 0; i < connections(); i++) {
      uids.add(uid(i));
    }
    return uids;
  }

  /**
   * The request of {@code courier.group.create} for {@code group}: every member of it on the
   * bench's appcode (docs/groups.md, the business API).
   */
  GroupRequest createRequest(int group) {
    List<GroupRequest.Invitee> invitees = new ArrayList<>(members);
    for (int slot = 0; slot < members; slot++) {
      invitees.add(new GroupRequest.Invitee(uid(group * members + slot), appcode));
    }
    return new GroupRequest(groupId(group), "bench group " + group, invitees, List.of());
  }
}
