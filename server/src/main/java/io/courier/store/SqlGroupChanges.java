package io.courier.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The SQL of the group changes (docs/groups.md) inside one group commit of a shard ({@link
 * WriteBatch}): on the group's shard its creation, membership changes, closing and the members'
 * read positions, with the index rows ({@code user_group}) of the members on that shard; on a
 * member's shard its index rows. {@link SqlGroups} decides which shard gets which request.
 *
 * <p>Each change reads its group with a lock ({@code FOR UPDATE}): a locking read sees what another
 * node's writer committed on the same database whatever the transaction's snapshot, and the lock
 * serialises the writes of one group, so that a change's member count, and a message's membership
 * ({@link SqlGroupMessages}), are those of the moment it commits. The changes and messages of a
 * batch run in arrival order, each seeing the ones before ({@link SqlGroupMessages#prepare}).
 */
final class SqlGroupChanges {

  private static final String LOCK_GROUP =
      "SELECT title, closed, last_msgid FROM chat_group WHERE group_id = ? FOR UPDATE";
  private static final String LOCK_MEMBERS =
      "SELECT uid, appcode, joined, read_upto, position FROM group_member WHERE group_id = ?"
          + " ORDER BY group_id, position FOR UPDATE";
  private static final String LOCK_MEMBER =
      "SELECT read_upto FROM group_member WHERE group_id = ? AND uid = ? FOR UPDATE";
  private static final String INSERT_GROUP =
      "INSERT INTO chat_group (group_id, title) VALUES (?, ?) ON DUPLICATE KEY UPDATE group_id = group_id";
  private static final String CLOSE = "UPDATE chat_group SET closed = 1 WHERE group_id = ?";
  private static final String MARK_READ =
      "UPDATE group_member SET read_upto = GREATEST(read_upto, ?) WHERE group_id = ? AND uid = ?";
  private static final MultiRowStatement<Member> INSERT_MEMBERS =
      new MultiRowStatement<>(
          "INSERT INTO group_member (group_id, uid, appcode, joined, position) VALUES ",
          " ON DUPLICATE KEY UPDATE group_id = group_id",
          5,
          (member, tuple) ->
              tuple
                  .addString(member.groupId)
                  .addString(member.uid)
                  .addInteger(member.appcode)
                  .addLong(member.joined)
                  .addInteger(member.position));
  private static final MultiRowStatement<IndexRow> DELETE_MEMBERS =
      new MultiRowStatement<>(
          "DELETE FROM group_member WHERE (group_id, uid) IN (", ")", 2, IndexRow::bindByGroup);
  private static final MultiRowStatement<IndexRow> INSERT_INDEX =
      new MultiRowStatement<>(
          "INSERT INTO user_group (uid, group_id) VALUES ",
          " ON DUPLICATE KEY UPDATE group_id = group_id",
          2,
          IndexRow::bind);
  private static final MultiRowStatement<IndexRow> DELETE_INDEX =
      new MultiRowStatement<>(
          "DELETE FROM user_group WHERE (uid, group_id) IN (", ")", 2, IndexRow::bind);

  private SqlGroupChanges() {}

  /**
   * {@link MessageStore#createGroup} on the group's shard, with the index rows of the members on
   * that shard.
   */
  static final class CreateGroup extends GroupCommit.Request<Group> {
    private final String groupId;
    private final String title;
    private final List<Group.Invitee> members;
    private final long joined;
    private final int maxMembers;
    private final Predicate<String> local;

    /**
     * @param members distinct uids
     * @param local whether a uid's rows live on this shard
     */
    CreateGroup(
        String groupId,
        String title,
        List<Group.Invitee> members,
        long joined,
        int maxMembers,
        Predicate<String> local) {
      this.groupId = groupId;
      this.title = title;
      this.members = List.copyOf(members);
      this.joined = joined;
      this.maxMembers = maxMembers;
      this.local = local;
    }
  }

  /**
   * {@link MessageStore#changeMembers} on the group's shard, with the index rows of the members on
   * that shard.
   */
  static final class ChangeMembers extends GroupCommit.Request<Group> {
    private final String groupId;
    private final List<Group.Invitee> add;
    private final Set<String> remove;
    private final long joined;
    private final int maxMembers;
    private final Predicate<String> local;

    /**
     * @param add distinct uids, none of them in {@code remove}
     */
    ChangeMembers(
        String groupId,
        List<Group.Invitee> add,
        Set<String> remove,
        long joined,
        int maxMembers,
        Predicate<String> local) {
      this.groupId = groupId;
      this.add = List.copyOf(add);
      this.remove = Set.copyOf(remove);
      this.joined = joined;
      this.maxMembers = maxMembers;
      this.local = local;
    }
  }

  /** {@link MessageStore#closeGroup}. */
  static final class CloseGroup extends GroupCommit.Request<Group> {
    private final String groupId;

    CloseGroup(String groupId) {
      this.groupId = groupId;
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

  /** A member shard's index rows of one group: written for members, deleted for the removed. */
  static final class GroupIndex extends GroupCommit.Request<Void> {
    private final List<IndexRow> add;
    private final List<IndexRow> remove;

    GroupIndex(String groupId, List<String> add, List<String> remove) {
      this.add = add.stream().map(uid -> new IndexRow(uid, groupId)).toList();
      this.remove = remove.stream().map(uid -> new IndexRow(uid, groupId)).toList();
    }
  }

  /** Whether {@code request} is one of this class's. */
  static boolean handles(GroupCommit.Request<?> request) {
    return request instanceof CreateGroup
        || request instanceof ChangeMembers
        || request instanceof CloseGroup
        || request instanceof MarkGroupRead
        || request instanceof GroupIndex;
  }

  /** Applies one group change ({@link #handles}). */
  static Future<Void> apply(SqlConnection conn, GroupCommit.Request<?> request) {
    if (request instanceof CreateGroup create) {
      return create(conn, create);
    }
    if (request instanceof ChangeMembers change) {
      return change(conn, change);
    }
    if (request instanceof CloseGroup close) {
      return close(conn, close);
    }
    if (request instanceof MarkGroupRead mark) {
      return markRead(conn, mark);
    }
    GroupIndex index = (GroupIndex) request;
    return index(conn, index.add, index.remove);
  }

  private static Future<Void> create(SqlConnection conn, CreateGroup create) {
    return lockGroup(conn, create.groupId)
        .compose(
            existing -> {
              if (existing != null) {
                create.refuse(GroupRefusedException.exists(create.groupId));
                return Future.succeededFuture();
              }
              if (create.members.size() > create.maxMembers) {
                create.refuse(GroupRefusedException.full(create.groupId, create.maxMembers));
                return Future.succeededFuture();
              }
              List<Member> rows = new ArrayList<>();
              List<Group.Member> members = new ArrayList<>();
              for (Group.Invitee invitee : create.members) {
                rows.add(new Member(create.groupId, invitee, create.joined, rows.size()));
                members.add(new Group.Member(invitee.uid(), invitee.appcode(), create.joined, 0));
              }
              List<String> uids = create.members.stream().map(Group.Invitee::uid).toList();
              return conn.preparedQuery(INSERT_GROUP)
                  .execute(Tuple.of(create.groupId, create.title))
                  .compose(v -> runUnlessEmpty(INSERT_MEMBERS, conn, rows))
                  .compose(v -> localIndex(conn, create.groupId, uids, List.of(), create.local))
                  .map(
                      v -> {
                        create.result(new Group(create.groupId, create.title, false, 0, members));
                        return null;
                      });
            });
  }

  private static Future<Void> change(SqlConnection conn, ChangeMembers change) {
    return lockGroup(conn, change.groupId)
        .compose(
            locked -> {
              if (locked == null) {
                change.refuse(GroupRefusedException.noSuchGroup(change.groupId));
                return Future.succeededFuture();
              }
              if (locked.group.closed()) {
                change.refuse(GroupRefusedException.closed(change.groupId));
                return Future.succeededFuture();
              }
              List<Group.Member> after = new ArrayList<>();
              List<IndexRow> removed = new ArrayList<>();
              for (Group.Member member : locked.group.members()) {
                if (change.remove.contains(member.uid())) {
                  removed.add(new IndexRow(member.uid(), change.groupId));
                } else {
                  after.add(member);
                }
              }
              List<Member> added = new ArrayList<>();
              int position = locked.nextPosition;
              for (Group.Invitee invitee : change.add) {
                if (locked.group.member(invitee.uid()) == null) {
                  added.add(new Member(change.groupId, invitee, change.joined, position++));
                  after.add(new Group.Member(invitee.uid(), invitee.appcode(), change.joined, 0));
                }
              }
              if (!added.isEmpty() && after.size() > change.maxMembers) {
                change.refuse(GroupRefusedException.full(change.groupId, change.maxMembers));
                return Future.succeededFuture();
              }
              List<String> adds = change.add.stream().map(Group.Invitee::uid).toList();
              List<String> removes = List.copyOf(change.remove);
              return runUnlessEmpty(DELETE_MEMBERS, conn, removed)
                  .compose(v -> runUnlessEmpty(INSERT_MEMBERS, conn, added))
                  .compose(v -> localIndex(conn, change.groupId, adds, removes, change.local))
                  .map(
                      v -> {
                        Group group = locked.group;
                        change.result(
                            new Group(
                                group.groupId(), group.title(), false, group.lastMsgid(), after));
                        return null;
                      });
            });
  }

  private static Future<Void> close(SqlConnection conn, CloseGroup close) {
    return lockGroup(conn, close.groupId)
        .compose(
            locked -> {
              if (locked == null) {
                close.refuse(GroupRefusedException.noSuchGroup(close.groupId));
                return Future.succeededFuture();
              }
              Group group = locked.group;
              close.result(
                  new Group(
                      group.groupId(), group.title(), true, group.lastMsgid(), group.members()));
              return group.closed()
                  ? Future.succeededFuture()
                  : conn.preparedQuery(CLOSE).execute(Tuple.of(close.groupId)).<Void>mapEmpty();
            });
  }

  private static Future<Void> markRead(SqlConnection conn, MarkGroupRead mark) {
    return conn.preparedQuery(LOCK_GROUP)
        .execute(Tuple.of(mark.groupId))
        .compose(
            groups -> {
              if (groups.size() == 0) {
                mark.refuse(GroupRefusedException.noSuchGroup(mark.groupId));
                return Future.succeededFuture();
              }
              return conn.preparedQuery(LOCK_MEMBER)
                  .execute(Tuple.of(mark.groupId, mark.uid))
                  .compose(
                      members -> {
                        if (members.size() == 0) {
                          mark.refuse(GroupRefusedException.notMember(mark.uid, mark.groupId));
                          return Future.succeededFuture();
                        }
                        long read = members.iterator().next().getLong("read_upto");
                        if (mark.upto <= read) {
                          mark.result(new MessageStore.ReadMark(read, false));
                          return Future.succeededFuture();
                        }
                        mark.result(new MessageStore.ReadMark(mark.upto, true));
                        return conn.preparedQuery(MARK_READ)
                            .execute(Tuple.of(mark.upto, mark.groupId, mark.uid))
                            .<Void>mapEmpty();
                      });
            });
  }

  /** A group as locked by this transaction, and the position its next member gets. */
  private record Locked(Group group, int nextPosition) {}

  /** The group with its lock, and its members; null when there is none. */
  private static Future<Locked> lockGroup(SqlConnection conn, String groupId) {
    return conn.preparedQuery(LOCK_GROUP)
        .execute(Tuple.of(groupId))
        .compose(
            groups -> {
              if (groups.size() == 0) {
                return Future.succeededFuture(null);
              }
              Row group = groups.iterator().next();
              return conn.preparedQuery(LOCK_MEMBERS)
                  .execute(Tuple.of(groupId))
                  .map(
                      rows -> {
                        List<Group.Member> members = new ArrayList<>();
                        int next = 0;
                        for (Row row : rows) {
                          members.add(member(row));
                          next = Math.max(next, row.getInteger("position") + 1);
                        }
                        return new Locked(
                            new Group(
                                groupId,
                                group.getString("title"),
                                group.getInteger("closed") != 0,
                                group.getLong("last_msgid"),
                                members),
                            next);
                      });
            });
  }

  /** A {@code group_member} row. */
  static Group.Member member(Row row) {
    return new Group.Member(
        row.getString("uid"),
        row.getInteger("appcode"),
        row.getLong("joined"),
        row.getLong("read_upto"));
  }

  /** The index rows of {@code groupId} of the uids whose rows live on this shard. */
  private static Future<Void> localIndex(
      SqlConnection conn,
      String groupId,
      List<String> add,
      List<String> remove,
      Predicate<String> local) {
    return index(
        conn,
        add.stream().filter(local).map(uid -> new IndexRow(uid, groupId)).toList(),
        remove.stream().filter(local).map(uid -> new IndexRow(uid, groupId)).toList());
  }

  private static Future<Void> index(SqlConnection conn, List<IndexRow> add, List<IndexRow> remove) {
    return runUnlessEmpty(DELETE_INDEX, conn, remove)
        .compose(v -> runUnlessEmpty(INSERT_INDEX, conn, add));
  }

  private static <T> Future<Void> runUnlessEmpty(
      MultiRowStatement<T> statement, SqlConnection conn, List<T> rows) {
    return rows.isEmpty() ? Future.succeededFuture() : statement.run(conn, rows).<Void>mapEmpty();
  }

  private record Member(String groupId, String uid, int appcode, long joined, int position) {
    Member(String groupId, Group.Invitee invitee, long joined, int position) {
      this(groupId, invitee.uid(), invitee.appcode(), joined, position);
    }
  }

  private record IndexRow(String uid, String groupId) {
    void bind(Tuple tuple) {
      tuple.addString(uid).addString(groupId);
    }

    void bindByGroup(Tuple tuple) {
      tuple.addString(groupId).addString(uid);
    }
  }
}
