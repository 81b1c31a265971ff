package io.courier.store;

import io.courier.protocol.Code;

/**
 * A group operation refused for the group's state, storing nothing (docs/groups.md): no such group
 * (404), the sender or reader is not a member (403), the group is closed (410), the group would
 * pass its maximum size (413), a group of that id exists (409). Its message is the client's or the
 * business's {@code msg}.
 */
public final class GroupRefusedException extends RuntimeException {
  private final Code code;

  public GroupRefusedException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static GroupRefusedException noSuchGroup(String groupId) {
    return new GroupRefusedException(Code.NOT_FOUND, "no group " + groupId);
  }

  public static GroupRefusedException notMember(String uid, String groupId) {
    return new GroupRefusedException(Code.FORBIDDEN, uid + " is not a member of group " + groupId);
  }

  public static GroupRefusedException closed(String groupId) {
    return new GroupRefusedException(Code.GONE, "group " + groupId + " is closed");
  }

  public static GroupRefusedException full(String groupId, int maxMembers) {
    return new GroupRefusedException(
        Code.TOO_LARGE, "group " + groupId + " would pass " + maxMembers + " members");
  }

  public static GroupRefusedException exists(String groupId) {
    return new GroupRefusedException(Code.CONFLICT, "group " + groupId + " exists");
  }
}
