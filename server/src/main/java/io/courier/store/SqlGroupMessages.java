package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The SQL of group messages (docs/groups.md) inside one group commit of a shard ({@link
 * WriteBatch}): on the group's shard the dedup row, the membership read, the timeline row, the
 * group's last msgid and the offline rows of the members on that shard; on another member shard its
 * members' offline rows; back on the group's shard the mark that a message is fanned out. {@link
 * SqlGroups} decides which shard gets which request.
 *
 * <p>{@link #prepare} runs before the batch's offline quota: it reads the dedup rows, then the
 * groups and members with locks ({@code FOR UPDATE}, see {@link SqlGroupChanges}: a membership
 * change committed before is seen), and asks the fan-out for each member's candidate rows, so that
 * they go through the batch's terminal look-up and cap like a C2C message's copies ({@link
 * WriteBatch.Copies#ofGroup}); it writes the new messages' dedup and timeline rows, and runs the
 * group changes of the batch in arrival order between them. {@link #write} then gives their offline
 * rows, inserted with the batch's others.
 */
final class SqlGroupMessages {

  private static final MultiRowStatement<AcceptC2g> INSERT_DEDUP =
      new MultiRowStatement<>(
          "INSERT INTO send_dedup (from_uid, from_appcode, cmid, msgid, senddate) VALUES ",
          " ON DUPLICATE KEY UPDATE senddate = senddate",
          5,
          (accept, tuple) -> {
            accept.key.bind(tuple);
            tuple.addLong(accept.message.msgid()).addLong(accept.message.senddate());
          });
  private static final MultiRowStatement<TimelineKey> SELECT_TIMELINE =
      new MultiRowStatement<>(
          "SELECT group_id, msgid, kind, from_uid, from_appcode, msgtype, msgcontent, senddate, logid,"
              + " fanned_out FROM group_message WHERE (group_id, msgid) IN (",
          ") FOR UPDATE",
          2,
          TimelineKey::bind);
  private static final MultiRowStatement<String> LOCK_GROUPS =
      new MultiRowStatement<>(
          "SELECT group_id, closed FROM chat_group WHERE group_id IN (",
          ") FOR UPDATE",
          1,
          (groupId, tuple) -> tuple.addString(groupId));
  private static final MultiRowStatement<String> LOCK_MEMBERS_OF =
      new MultiRowStatement<>(
          "SELECT group_id, uid, appcode, joined, read_upto FROM group_member WHERE group_id IN (",
          ") ORDER BY group_id, position FOR UPDATE",
          1,
          (groupId, tuple) -> tuple.addString(groupId));
  private static final WriteBatch.CheckedInsert<AcceptC2g> INSERT_TIMELINE =
      new WriteBatch.CheckedInsert<>(
          new MultiRowStatement<>(
              "INSERT INTO group_message (group_id, msgid, from_uid, from_appcode, senddate, msgcontent,"
                  + " kind, msgtype, logid, fanned_out) VALUES ",
              WriteBatch.onDuplicateUnlessAnotherMessage("FALSE"),
              10,
              (accept, tuple) -> {
                Message message = accept.message;
                tuple
                    .addString(message.groupId())
                    .addLong(message.msgid())
                    .addString(message.fromUid())
                    .addInteger(message.fromAppcode())
                    .addLong(message.senddate())
                    .addString(message.content())
                    .addString(message.kind().wire())
                    .addInteger(message.msgtype())
                    .addString(message.logid())
                    .addInteger(accept.remote.isEmpty() ? 1 : 0);
              },
              accept -> accept.message.content().length()),
          accept -> false,
          "SELECT from_uid, from_appcode, logid FROM group_message WHERE group_id = ? AND msgid = ?",
          accept -> Tuple.of(accept.message.groupId(), accept.message.msgid()),
          accept -> "group_message (" + accept.message.groupId() + ")",
          accept -> accept.message);
  private static final MultiRowStatement<TimelineKey> RAISE_LAST =
      new MultiRowStatement<>(
          "INSERT INTO chat_group (group_id, last_msgid) VALUES ",
          " ON DUPLICATE KEY UPDATE last_msgid = GREATEST(last_msgid, VALUES(last_msgid))",
          2,
          TimelineKey::bind);
  private static final MultiRowStatement<TimelineKey> MARK_FANNED_OUT =
      new MultiRowStatement<>(
          "UPDATE group_message SET fanned_out = 1 WHERE (group_id, msgid) IN (",
          ")",
          2,
          TimelineKey::bind);

  private SqlGroupMessages() {}

  /**
   * The result of a group message's write on the group's shard.
   *
   * @param accepted the answer, with the offline rows written on the group's shard as its copies
   * @param remote the candidate offline rows of the members of other shards, to write there
   * @param complete whether every member shard has the message's rows: nothing is left to write
   */
  record Fanout(MessageStore.Accepted accepted, List<Message> remote, boolean complete) {}

  /**
   * {@link MessageStore#acceptC2g} on the group's shard: dedup, the group's checks, the timeline
   * row, the last msgid and the offline rows of the members on this shard. A duplicate whose
   * timeline row is not marked fanned out gets the candidate rows of the other shards' members
   * again ({@link Fanout#remote}), built from the stored message.
   */
  static final class AcceptC2g extends GroupCommit.Request<Fanout> {
    private final Message message;
    private final DedupKey key;
    private final GroupFanout fanout;
    private final Predicate<String> local;
    // worked out again by each run of the batch
    private WriteBatch.Copies copies;
    private List<Message> remote = List.of();
    private boolean fresh;
    private Fanout answer;
    private RuntimeException refusal;

    AcceptC2g(Message message, String cmid, GroupFanout fanout, Predicate<String> local) {
      this.message = message;
      this.key = new DedupKey(message.fromUid(), message.fromAppcode(), cmid);
      this.fanout = fanout;
      this.local = local;
    }

    private void reset() {
      copies = null;
      remote = List.of();
      fresh = false;
      answer = null;
      refusal = null;
    }

    private void answer(Fanout fanout) {
      answer = fanout;
      result(fanout);
    }

    /** Refuses this request alone, remembering why for a later request of the same cmid. */
    private void refuseAlone(RuntimeException refused) {
      refusal = refused;
      refuse(refused);
    }

    /** A later request of the same cmid in the batch: a duplicate of this one, or its refusal. */
    private void answerLater(AcceptC2g later) {
      if (refusal != null) {
        later.refuse(refusal);
      } else {
        MessageStore.Accepted accepted =
            fresh
                ? new MessageStore.Accepted(message.msgid(), message.senddate(), true)
                : new MessageStore.Accepted(
                    answer.accepted().msgid(), answer.accepted().senddate(), true);
        later.answer(new Fanout(accepted, List.of(), true));
      }
    }
  }

  /** A group message's candidate offline rows for the members of one shard. */
  static final class MemberCopies extends GroupCommit.Request<List<Message>> {
    private final WriteBatch.Copies copies;

    MemberCopies(List<Message> candidates) {
      this.copies = WriteBatch.Copies.ofGroup(candidates);
    }
  }

  /** Marks a timeline row fanned out: every member shard has its offline rows. */
  static final class MarkFannedOut extends GroupCommit.Request<Void> {
    private final TimelineKey key;

    MarkFannedOut(String groupId, long msgid) {
      this.key = new TimelineKey(groupId, msgid);
    }
  }

  /** Whether {@code request} is one of this class's. */
  static boolean handles(GroupCommit.Request<?> request) {
    return request instanceof AcceptC2g
        || request instanceof MemberCopies
        || request instanceof MarkFannedOut;
  }

  /** The candidate offline rows {@code request} brings to the batch's quota, or null. */
  static WriteBatch.Copies copiesOf(GroupCommit.Request<?> request) {
    if (request instanceof AcceptC2g accept) {
      return accept.copies;
    }
    if (request instanceof MemberCopies member) {
      return member.copies;
    }
    return null;
  }

  /**
   * Runs the batch's group changes and messages in the order they arrived, each seeing the ones
   * before (a message queued after a removal does not reach the removed member, one queued before
   * it does): the messages between two changes share their statements ({@link #accept}), a change
   * runs alone ({@link SqlGroupChanges#apply}). Then the fanned-out marks.
   */
  static Future<Void> prepare(SqlConnection conn, List<GroupCommit.Request<?>> requests) {
    Future<Void> chain = Future.succeededFuture();
    List<AcceptC2g> run = new ArrayList<>();
    List<TimelineKey> fannedOut = new ArrayList<>();
    for (GroupCommit.Request<?> request : requests) {
      if (request instanceof AcceptC2g accept) {
        accept.reset();
        run.add(accept);
      } else if (request instanceof MarkFannedOut mark) {
        fannedOut.add(mark.key);
      } else if (SqlGroupChanges.handles(request)) {
        List<AcceptC2g> before = List.copyOf(run);
        run.clear();
        chain =
            chain
                .compose(v -> accept(conn, before))
                .compose(v -> SqlGroupChanges.apply(conn, request));
      }
    }
    List<AcceptC2g> last = List.copyOf(run);
    return chain
        .compose(v -> accept(conn, last))
        .compose(
            v ->
                fannedOut.isEmpty()
                    ? Future.succeededFuture()
                    : MARK_FANNED_OUT.run(conn, fannedOut).<Void>mapEmpty());
  }

  /**
   * Checks a run of messages and writes the dedup and timeline rows of the new ones, and raises
   * their groups' last msgid, so that a change or a message after them in the batch sees them;
   * their offline rows wait for the batch's terminals and cap ({@link #write}).
   */
  private static Future<Void> accept(SqlConnection conn, List<AcceptC2g> accepts) {
    return prepareAccepts(conn, accepts)
        .compose(
            v -> {
              List<AcceptC2g> fresh = accepts.stream().filter(accept -> accept.fresh).toList();
              if (fresh.isEmpty()) {
                return Future.succeededFuture();
              }
              Map<String, TimelineKey> newest = new LinkedHashMap<>();
              for (AcceptC2g accept : fresh) {
                newest.merge(
                    accept.message.groupId(),
                    new TimelineKey(accept.message.groupId(), accept.message.msgid()),
                    (a, b) -> a.msgid >= b.msgid ? a : b);
              }
              return INSERT_DEDUP
                  .run(conn, fresh)
                  .compose(inserted -> INSERT_TIMELINE.run(conn, fresh))
                  .compose(inserted -> RAISE_LAST.run(conn, List.copyOf(newest.values())))
                  .<Void>mapEmpty();
            });
  }

  /**
   * Sets the results of the new messages, with the offline rows the batch's cap left them, and of
   * the member shards' rows; the result is the offline rows to insert.
   */
  static List<Message> write(List<GroupCommit.Request<?>> requests) {
    List<Message> rows = new ArrayList<>();
    for (GroupCommit.Request<?> request : requests) {
      if (request instanceof AcceptC2g accept && accept.fresh) {
        rows.addAll(accept.copies.rows());
        accept.answer(
            new Fanout(
                new MessageStore.Accepted(
                    accept.message.msgid(),
                    accept.message.senddate(),
                    false,
                    List.copyOf(accept.copies.rows())),
                accept.remote,
                accept.remote.isEmpty()));
      } else if (request instanceof MemberCopies member) {
        rows.addAll(member.copies.rows());
        member.result(List.copyOf(member.copies.rows()));
      }
    }
    return rows;
  }

  /**
   * Reads the dedup rows of the batch's messages; a new one gets its group's checks and its
   * candidate rows, a duplicate whose timeline row is not fanned out the candidate rows of the
   * other shards' members (those that joined before it), a later request of a cmid met earlier in
   * the batch the first one's answer.
   */
  private static Future<Void> prepareAccepts(SqlConnection conn, List<AcceptC2g> accepts) {
    if (accepts.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<DedupKey, AcceptC2g> firsts = new LinkedHashMap<>();
    Map<AcceptC2g, AcceptC2g> later = new LinkedHashMap<>();
    for (AcceptC2g accept : accepts) {
      AcceptC2g first = firsts.putIfAbsent(accept.key, accept);
      if (first != null) {
        later.put(accept, first);
      }
    }
    return DedupKey.lockStored(conn, List.copyOf(firsts.keySet()))
        .compose(
            stored -> {
              List<AcceptC2g> candidates = new ArrayList<>();
              Map<AcceptC2g, TimelineKey> duplicates = new LinkedHashMap<>();
              for (AcceptC2g first : firsts.values()) {
                Row row = stored.get(first.key);
                if (row == null) {
                  candidates.add(first);
                } else {
                  duplicates.put(
                      first, new TimelineKey(first.message.groupId(), row.getLong("msgid")));
                  first.answer(
                      new Fanout(
                          new MessageStore.Accepted(
                              row.getLong("msgid"), row.getLong("senddate"), true),
                          List.of(),
                          true));
                }
              }
              return duplicates.isEmpty()
                  ? Future.succeededFuture(new Unfinished(candidates, Map.<AcceptC2g, Message>of()))
                  : SELECT_TIMELINE
                      .run(conn, List.copyOf(new LinkedHashSet<>(duplicates.values())))
                      .map(rows -> new Unfinished(candidates, unfinished(duplicates, rows)));
            })
        .compose(work -> checkAndFanOut(conn, work))
        .map(
            v -> {
              later.forEach((accept, first) -> first.answerLater(accept));
              return null;
            });
  }

  /**
   * The new messages to check, and the duplicates whose first message is not fanned out, each with
   * that first message as stored.
   */
  private record Unfinished(List<AcceptC2g> fresh, Map<AcceptC2g, Message> repairs) {}

  private static Map<AcceptC2g, Message> unfinished(
      Map<AcceptC2g, TimelineKey> duplicates, List<Row> rows) {
    Map<TimelineKey, Row> byKey = new HashMap<>();
    for (Row row : rows) {
      byKey.put(new TimelineKey(row.getString("group_id"), row.getLong("msgid")), row);
    }
    Map<AcceptC2g, Message> repairs = new LinkedHashMap<>();
    duplicates.forEach(
        (accept, key) -> {
          Row row = byKey.get(key);
          if (row != null && row.getInteger("fanned_out") == 0) {
            repairs.put(accept, timelineMessage(row, key.groupId));
          }
        });
    return repairs;
  }

  /** A timeline row as the message it holds, addressed to no one. */
  static Message timelineMessage(Row row, String groupId) {
    return new Message(
            row.getLong("msgid"),
            Kind.fromWire(row.getString("kind")),
            row.getString("from_uid"),
            row.getInteger("from_appcode"),
            "",
            0,
            row.getInteger("msgtype"),
            row.getString("msgcontent"),
            row.getLong("senddate"),
            row.getString("logid"))
        .inGroup(groupId);
  }

  private static Future<Void> checkAndFanOut(SqlConnection conn, Unfinished work) {
    Set<String> groupIds = new LinkedHashSet<>();
    work.fresh.forEach(accept -> groupIds.add(accept.message.groupId()));
    work.repairs.values().forEach(first -> groupIds.add(first.groupId()));
    if (groupIds.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = List.copyOf(groupIds);
    Map<String, Boolean> closed = new HashMap<>();
    return LOCK_GROUPS
        .run(conn, ids)
        .compose(
            groups -> {
              groups.forEach(
                  row -> closed.put(row.getString("group_id"), row.getInteger("closed") != 0));
              return LOCK_MEMBERS_OF.run(conn, ids);
            })
        .map(
            rows -> {
              Map<String, List<Group.Member>> members = new HashMap<>();
              for (Row row : rows) {
                members
                    .computeIfAbsent(row.getString("group_id"), id -> new ArrayList<>())
                    .add(SqlGroupChanges.member(row));
              }
              for (AcceptC2g accept : work.fresh) {
                String groupId = accept.message.groupId();
                List<Group.Member> of = members.getOrDefault(groupId, List.of());
                if (!closed.containsKey(groupId)) {
                  accept.refuseAlone(GroupRefusedException.noSuchGroup(groupId));
                } else if (of.stream().noneMatch(m -> m.uid().equals(accept.message.fromUid()))) {
                  accept.refuseAlone(
                      GroupRefusedException.notMember(accept.message.fromUid(), groupId));
                } else if (closed.get(groupId)) {
                  accept.refuseAlone(GroupRefusedException.closed(groupId));
                } else {
                  fanOut(accept, accept.message, of, true);
                }
              }
              work.repairs.forEach(
                  (accept, first) ->
                      fanOut(
                          accept,
                          first,
                          members.getOrDefault(first.groupId(), List.of()).stream()
                              .filter(member -> member.joined() < first.msgid())
                              .toList(),
                          false));
              return null;
            });
  }

  /**
   * Asks the fan-out for each member's candidate rows: this shard's go through the batch's
   * terminals and cap ({@code fresh}: a new message's), the others' are left to their shards. A
   * fan-out that throws, or gives a row the tables cannot hold, refuses its message alone rather
   * than fail the batch, which would be retried one request at a time.
   */
  private static void fanOut(
      AcceptC2g accept, Message message, List<Group.Member> members, boolean fresh) {
    List<Message> local = new ArrayList<>();
    List<Message> remote = new ArrayList<>();
    try {
      for (Group.Member member : members) {
        boolean here = accept.local.test(member.uid());
        if (fresh || !here) {
          List<Message> copies = accept.fanout.copies(message, member);
          copies.forEach(StoreInput::checkMessage);
          (here ? local : remote).addAll(copies);
        }
      }
    } catch (RuntimeException e) {
      accept.refuseAlone(e);
      return;
    }
    accept.remote = List.copyOf(remote);
    if (fresh) {
      accept.fresh = true;
      accept.copies = WriteBatch.Copies.ofGroup(local);
    } else {
      accept.answer(
          new Fanout(
              new MessageStore.Accepted(message.msgid(), message.senddate(), true),
              accept.remote,
              accept.remote.isEmpty()));
    }
  }

  private record TimelineKey(String groupId, long msgid) {
    void bind(Tuple tuple) {
      tuple.addString(groupId).addLong(msgid);
    }
  }
}
