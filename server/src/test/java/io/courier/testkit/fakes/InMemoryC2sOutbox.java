package io.courier.testkit.fakes;

import io.courier.protocol.body.C2sMessage;
import io.courier.store.C2sOutbox;
import io.courier.store.C2sOutboxFullException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link C2sOutbox} in memory, for the routing tests; {@link #down} makes every call fail. */
public final class InMemoryC2sOutbox implements C2sOutbox {
  private final Map<String, Remembered> cmids = new HashMap<>();
  private final TreeMap<Long, C2sMessage> waiting = new TreeMap<>();
  private final Map<Long, Long> claims = new HashMap<>();
  private long seq;
  private RuntimeException down;

  public synchronized void down(RuntimeException failure) {
    this.down = failure;
  }

  /** The waiting messages, in the order they were stored. */
  public synchronized List<C2sMessage> waiting() {
    return List.copyOf(waiting.values());
  }

  @Override
  public Future<Void> open() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Remembered> remember(
      String fromUid, int fromAppcode, String cmid, long msgid, long senddate) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    String key = fromUid + "/" + fromAppcode + "/" + cmid;
    Remembered first = cmids.get(key);
    if (first != null) {
      return Future.succeededFuture(new Remembered(first.msgid(), first.senddate(), true));
    }
    cmids.put(key, new Remembered(msgid, senddate, false));
    return Future.succeededFuture(new Remembered(msgid, senddate, false));
  }

  @Override
  public synchronized Future<Boolean> hasWaiting(String fromUid, int fromAppcode, int msgtype) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    return Future.succeededFuture(
        waiting.values().stream()
            .anyMatch(m -> queue(m).equals(queue(fromUid, fromAppcode, msgtype))));
  }

  @Override
  public synchronized Future<Boolean> store(C2sMessage message, int maxPerSender) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    if (waiting.values().stream().anyMatch(m -> m.msgid() == message.msgid())) {
      return Future.succeededFuture(false);
    }
    long senders =
        waiting.values().stream()
            .filter(
                m ->
                    m.fromUid().equals(message.fromUid())
                        && m.fromAppcode() == message.fromAppcode())
            .count();
    if (maxPerSender > 0 && senders >= maxPerSender) {
      return Future.failedFuture(
          new C2sOutboxFullException(message.fromUid(), message.fromAppcode(), maxPerSender));
    }
    waiting.put(++seq, message);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Waiting>> heads(int limit, long now) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    Map<String, Waiting> heads = new LinkedHashMap<>();
    waiting.forEach((s, m) -> heads.putIfAbsent(queue(m), new Waiting(s, m)));
    List<Waiting> free = new ArrayList<>();
    for (Waiting head : heads.values()) {
      Long until = claims.get(head.seq());
      if ((until == null || until < now) && free.size() < limit) {
        free.add(head);
      }
    }
    return Future.succeededFuture(free);
  }

  @Override
  public synchronized Future<Boolean> claim(Waiting head, long now, long until) {
    Long held = claims.get(head.seq());
    if ((held != null && held >= now) || !waiting.containsKey(head.seq())) {
      return Future.succeededFuture(false);
    }
    claims.put(head.seq(), until);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> release(Waiting head) {
    claims.remove(head.seq());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> remove(Waiting head) {
    claims.remove(head.seq());
    waiting.remove(head.seq());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Integer> purge(long before) {
    List<Long> old =
        waiting.entrySet().stream()
            .filter(e -> e.getValue().senddate() < before)
            .map(Map.Entry::getKey)
            .toList();
    old.forEach(waiting::remove);
    cmids.values().removeIf(r -> r.senddate() < before);
    return Future.succeededFuture(old.size());
  }

  private static String queue(C2sMessage message) {
    return queue(message.fromUid(), message.fromAppcode(), message.msgtype());
  }

  private static String queue(String uid, int appcode, int msgtype) {
    return uid + "/" + appcode + "/" + msgtype;
  }
}
