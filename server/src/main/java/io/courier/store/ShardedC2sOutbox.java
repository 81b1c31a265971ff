package io.courier.store;

import io.courier.protocol.body.C2sMessage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The C2S outbox over several databases: a sender's cmids and queues live on the shard of its uid
 * ({@link Shards}), the shard that holds its send-dedup rows of C2C too. The heads of all shards
 * are read together; a claim, a release and a removal go to the shard of the message's sender.
 */
final class ShardedC2sOutbox implements C2sOutbox {
  private final List<C2sOutbox> shards;

  ShardedC2sOutbox(List<C2sOutbox> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("at least one shard");
    }
    this.shards = List.copyOf(shards);
  }

  private C2sOutbox shard(String uid) {
    return shards.get(Shards.of(uid, shards.size()));
  }

  private C2sOutbox shard(Waiting head) {
    return shard(head.message().fromUid());
  }

  @Override
  public Future<Void> open() {
    return Future.all(shards.stream().map(C2sOutbox::open).toList()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.join(shards.stream().map(C2sOutbox::close).toList()).mapEmpty();
  }

  @Override
  public Future<Remembered> remember(
      String fromUid, int fromAppcode, String cmid, long msgid, long senddate) {
    return shard(fromUid).remember(fromUid, fromAppcode, cmid, msgid, senddate);
  }

  @Override
  public Future<Boolean> hasWaiting(String fromUid, int fromAppcode, int msgtype) {
    return shard(fromUid).hasWaiting(fromUid, fromAppcode, msgtype);
  }

  @Override
  public Future<Boolean> store(C2sMessage message, int maxPerSender) {
    return shard(message.fromUid()).store(message, maxPerSender);
  }

  @Override
  public Future<List<Waiting>> heads(int limit, long now) {
    return Future.all(shards.stream().map(shard -> shard.heads(limit, now)).toList())
        .map(
            all -> {
              List<Waiting> heads = new ArrayList<>();
              for (int i = 0; i < shards.size(); i++) {
                heads.addAll(all.<List<Waiting>>resultAt(i));
              }
              return heads.size() > limit ? List.copyOf(heads.subList(0, limit)) : heads;
            });
  }

  @Override
  public Future<Boolean> claim(Waiting head, long now, long until) {
    return shard(head).claim(head, now, until);
  }

  @Override
  public Future<Void> release(Waiting head) {
    return shard(head).release(head);
  }

  @Override
  public Future<Void> remove(Waiting head) {
    return shard(head).remove(head);
  }

  @Override
  public Future<Integer> purge(long before) {
    return Future.all(shards.stream().map(shard -> shard.purge(before)).toList())
        .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
  }
}
