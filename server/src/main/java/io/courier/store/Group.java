package io.courier.store;

import java.util.List;

/**
 * A group conversation as stored (docs/groups.md): its members in the order they were added, each
 * with its join point and read position.
 *
 * @param lastMsgid the msgid of the group's last message, 0 before the first
 * @param closed whether the group refuses sends ({@code courier.group.close})
 */
public record Group(
    String groupId, String title, boolean closed, long lastMsgid, List<Member> members) {

  public Group {
    members = List.copyOf(members);
  }

  /** The member {@code uid}, null when {@code uid} is not a member. */
  public Member member(String uid) {
    for (Member member : members) {
      if (member.uid().equals(uid)) {
        return member;
      }
    }
    return null;
  }

  /**
   * One member.
   *
   * @param appcode the app the member was added with: its user system holds the terminals that get
   *     the group's messages
   * @param joined the member sees the group's messages with msgid above this (its join point)
   * @param read the member's read position in the group, 0 before its first READ
   */
  public record Member(String uid, int appcode, long joined, long read) {}

  /** A member to add: {@code (uid, appcode)}. */
  public record Invitee(String uid, int appcode) {}
}
