package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message store over several databases: offline rows live on the shard of {@code to_uid},
 * history rows on the shard of their owner, send-dedup rows on the shard of the sender ({@link
 * Shards}).
 *
 * <p>A C2C message between users of two shards is written in two transactions, sender's shard first
 * (dedup row and the sender's history row), then the receiver's (its history row and the offline
 * row), and acknowledged only after both committed. If the second fails the sender gets 503 and
 * resends with the same cmid; the dedup row then gives the first msgid, and the receiver's rows —
 * found missing — are written with it: a resend repairs a half-written message instead of losing it
 * or making a second one. Every write is idempotent, so a repair that races a slow first attempt
 * (concurrent resends) is harmless; since the two cannot be told apart, a repaired message is
 * reported as a duplicate, like any resend, and reaches the receiver through its offline store
 * (PULL) rather than a second push. Users of one shard keep the single-transaction path.
 *
 * <p>Groups live on the shard of their {@code group_id}, their members' offline and index rows on
 * the members' shards: {@link SqlGroups}.
 *
 * <p>The receiver's offline quota is checked by the second transaction: a message it refuses
 * ({@link OfflineQuotaException}) keeps the sender's history row and dedup row, and the sender,
 * answered with the refusal, may resend the same cmid once the receiver has room, which writes the
 * receiver's rows then.
 */
public final class ShardedMessageStore implements MessageStore {
  private final List<SqlMessageStore> shards;
  private final SqlGroups groups;

  public ShardedMessageStore(List<SqlMessageStore> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("at least one shard");
    }
    this.shards = List.copyOf(shards);
    this.groups = new SqlGroups(this.shards);
  }

  /**
   * The shard that holds {@code uid}'s offline rows, history rows (as owner) and dedup rows (as
   * sender).
   */
  SqlMessageStore shard(String uid) {
    return shards.get(Shards.of(uid, shards.size()));
  }

  @Override
  public Future<Void> open() {
    return Future.all(shards.stream().map(SqlMessageStore::open).toList()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.join(shards.stream().map(SqlMessageStore::close).toList()).mapEmpty();
  }

  @Override
  public Future<Void> ping() {
    return Future.all(shards.stream().map(SqlMessageStore::ping).toList()).mapEmpty();
  }

  @Override
  public Future<Long> maxMsgid() {
    return Future.all(shards.stream().map(SqlMessageStore::maxMsgid).toList())
        .map(all -> all.<Long>list().stream().mapToLong(Long::longValue).max().orElse(0));
  }

  @Override
  public Future<Accepted> acceptC2c(Message message, String cmid, List<Message> candidates) {
    SqlMessageStore sender = shard(message.fromUid());
    SqlMessageStore receiver = shard(message.toUid());
    if (sender == receiver) {
      return sender.acceptC2c(message, cmid, candidates);
    }
    // a copy lives with its inbox: the sender's other terminals (sync) on the sender's shard, the
    // receiver's on the receiver's
    List<Message> syncCopies = new ArrayList<>();
    List<Message> receiverCopies = new ArrayList<>();
    for (Message copy : candidates) {
      (shard(copy.inboxUid()) == sender ? syncCopies : receiverCopies).add(copy);
    }
    return sender
        .recordSend(message, cmid, syncCopies)
        .compose(
            accepted -> {
              if (!accepted.duplicate()) {
                return receiver
                    .storeReceiverCopy(message, receiverCopies)
                    .map(
                        found -> {
                          List<Message> copies = new ArrayList<>(accepted.copies());
                          copies.addAll(found);
                          return new Accepted(accepted.msgid(), accepted.senddate(), false, copies);
                        });
              }
              return receiver
                  .hasHistory(message.toUid(), message.fromUid(), accepted.msgid())
                  .compose(
                      complete -> {
                        if (complete) {
                          return Future.succeededFuture(accepted);
                        }
                        Message first = message.withMsgid(accepted.msgid(), accepted.senddate());
                        return receiver.storeReceiverCopy(first, List.of()).map(accepted);
                      });
            });
  }

  @Override
  public Future<Conversations> conversations(String owner, long before, int limit) {
    return groups.conversations(owner, before, limit);
  }

  @Override
  public Future<ReadMark> markRead(String owner, String peer, long upto) {
    return shard(owner).markRead(owner, peer, upto);
  }

  /** The owner's read positions on its shard, each peer's positions on the peer's shard. */
  @Override
  public Future<Map<String, Positions>> positions(String owner, Set<String> peers) {
    Map<SqlMessageStore, Set<String>> byShard = new LinkedHashMap<>();
    for (String peer : peers) {
      byShard.computeIfAbsent(shard(peer), shard -> new LinkedHashSet<>()).add(peer);
    }
    List<Future<Map<String, Positions>>> theirs = new ArrayList<>();
    byShard.forEach((shard, part) -> theirs.add(shard.peerPositions(owner, part)));
    Future<Map<String, Long>> own = shard(owner).ownReads(owner, peers);
    List<Future<?>> all = new ArrayList<>(theirs);
    all.add(own);
    return Future.all(all)
        .map(
            done -> {
              Map<String, Positions> their = new HashMap<>();
              theirs.forEach(part -> their.putAll(part.result()));
              Map<String, Positions> positions = new HashMap<>();
              for (String peer : peers) {
                Positions peerSide = their.getOrDefault(peer, Positions.NONE);
                positions.put(
                    peer,
                    new Positions(
                        own.result().getOrDefault(peer, 0L),
                        peerSide.read(),
                        peerSide.peerDelivered()));
              }
              return positions;
            });
  }

  @Override
  public Future<Set<Integer>> terminals(String uid) {
    return shard(uid).terminals(uid);
  }

  @Override
  public Future<Void> addTerminal(String uid, int appcode, long since) {
    return shard(uid).addTerminal(uid, appcode, since);
  }

  @Override
  public Future<Void> storeOffline(List<Message> messages) {
    Map<SqlMessageStore, List<Message>> byShard = new LinkedHashMap<>();
    for (Message message : messages) {
      byShard.computeIfAbsent(shard(message.toUid()), shard -> new ArrayList<>()).add(message);
    }
    List<Future<Void>> writes = new ArrayList<>();
    byShard.forEach((shard, part) -> writes.add(shard.storeOffline(part)));
    return Future.all(writes).mapEmpty();
  }

  @Override
  public Future<Pulled> pull(String uid, int appcode, long after, int limit) {
    return shard(uid).pull(uid, appcode, after, limit);
  }

  @Override
  public Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
    return shard(uid).removeOfflineUpTo(uid, appcode, upto);
  }

  @Override
  public Future<Integer> removeOfflineListed(String uid, int appcode, List<Long> msgids) {
    return shard(uid).removeOfflineListed(uid, appcode, msgids);
  }

  @Override
  public Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
    return shard(uid).removeOffline(uid, appcode, msgid);
  }

  @Override
  public Future<Page> history(String owner, String peer, long before, int limit) {
    return shard(owner).history(owner, peer, before, limit);
  }

  @Override
  public Future<Integer> purgeExpired(long now) {
    return Future.all(shards.stream().map(shard -> shard.purgeExpired(now)).toList())
        .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
  }

  @Override
  public Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers) {
    return groups.createGroup(groupId, title, members, joined, maxMembers);
  }

  @Override
  public Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers) {
    return groups.changeMembers(groupId, add, remove, joined, maxMembers);
  }

  @Override
  public Future<Group> closeGroup(String groupId) {
    return groups.closeGroup(groupId);
  }

  @Override
  public Future<Group> group(String groupId) {
    return groups.group(groupId);
  }

  @Override
  public Future<Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout) {
    return groups.acceptC2g(message, cmid, fanout);
  }

  @Override
  public Future<Page> groupHistory(String groupId, long after, long before, int limit) {
    return groups.groupHistory(groupId, after, before, limit);
  }

  @Override
  public Future<ReadMark> markGroupRead(String uid, String groupId, long upto) {
    return groups.markGroupRead(uid, groupId, upto);
  }
}
