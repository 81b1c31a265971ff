package io.courier.routing;

import io.courier.message.Message;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The offline side of {@link MessageStore} in memory, for the rules of {@link Offline}: PULL's
 * pages and its mark of what was given, and the removals. History and C2C dedup are not modelled.
 *
 * <p>{@link #holdPulls()} makes pulls read their page at once but wait before marking it, until
 * {@link #releasePulls()}: pulls held together have read the same rows, as pipelined PULLs of one
 * client can on the real stores.
 */
final class InMemoryMessageStore implements MessageStore {
  private final TreeMap<Long, Message> offline = new TreeMap<>();
  private final Set<Long> given = new HashSet<>();
  private final List<Runnable> heldMarks = new ArrayList<>();
  private boolean holding;

  synchronized void holdPulls() {
    holding = true;
  }

  /** Marks the held pulls' pages in the order they were pulled and completes them. */
  void releasePulls() {
    List<Runnable> held;
    synchronized (this) {
      holding = false;
      held = List.copyOf(heldMarks);
      heldMarks.clear();
    }
    held.forEach(Runnable::run);
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
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Long> maxMsgid() {
    return Future.succeededFuture(offline.isEmpty() ? 0 : offline.lastKey());
  }

  @Override
  public Future<Accepted> acceptC2c(Message message, String cmid) {
    storeOffline(List.of(message));
    return Future.succeededFuture(new Accepted(message.msgid(), message.senddate(), false));
  }

  @Override
  public synchronized Future<Void> storeOffline(List<Message> messages) {
    messages.forEach(message -> offline.putIfAbsent(message.msgid(), message));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Pulled> pull(String uid, int appcode, long after, int limit) {
    List<Message> rows = new ArrayList<>();
    for (Map.Entry<Long, Message> row : offline.entrySet()) {
      Message message = row.getValue();
      if (isFor(message, uid, appcode) && (row.getKey() > after || !given.contains(row.getKey()))) {
        rows.add(message);
      }
    }
    List<Message> page = List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
    boolean more = rows.size() > limit;
    if (!holding) {
      return Future.succeededFuture(new Pulled(page, more, mark(page)));
    }
    Promise<Pulled> marked = Promise.promise();
    heldMarks.add(() -> marked.complete(new Pulled(page, more, mark(page))));
    return marked.future();
  }

  private synchronized Set<Long> mark(List<Message> page) {
    Set<Long> changed = new LinkedHashSet<>();
    for (Message message : page) {
      if (offline.containsKey(message.msgid()) && given.add(message.msgid())) {
        changed.add(message.msgid());
      }
    }
    return changed;
  }

  @Override
  public synchronized Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto) {
    List<Long> removable = new ArrayList<>();
    offline
        .headMap(upto, true)
        .forEach(
            (msgid, message) -> {
              if (isFor(message, uid, appcode) && given.contains(msgid)) {
                removable.add(msgid);
              }
            });
    removable.forEach(msgid -> removeIfFor(uid, appcode, msgid));
    return Future.succeededFuture(removable.size());
  }

  @Override
  public synchronized Future<Integer> removeOfflineListed(
      String uid, int appcode, List<Long> msgids) {
    int removed = 0;
    for (long msgid : new LinkedHashSet<>(msgids)) {
      if (removeIfFor(uid, appcode, msgid)) {
        removed++;
      }
    }
    return Future.succeededFuture(removed);
  }

  @Override
  public synchronized Future<Boolean> removeOffline(String uid, int appcode, long msgid) {
    return Future.succeededFuture(removeIfFor(uid, appcode, msgid));
  }

  @Override
  public Future<Page> history(String owner, String peer, long before, int limit) {
    return Future.succeededFuture(new Page(List.of(), false));
  }

  private boolean removeIfFor(String uid, int appcode, long msgid) {
    Message message = offline.get(msgid);
    if (message == null || !isFor(message, uid, appcode)) {
      return false;
    }
    offline.remove(msgid);
    given.remove(msgid);
    return true;
  }

  private static boolean isFor(Message message, String uid, int appcode) {
    return message.toUid().equals(uid) && message.toAppcode() == appcode;
  }
}
