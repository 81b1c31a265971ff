package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Presence of a node that is not clustered: one map in this process, {@code uid →} the user's live
 * sessions, one per appcode, ordered by appcode.
 *
 * <p>Each user's sessions are an immutable list replaced as a whole by {@link
 * ConcurrentHashMap#compute}, which runs one update of a uid at a time: every operation is atomic
 * for its {@code (uid, appcode)} without a lock of its own, and a lookup reads a list no one
 * changes. Every future is already complete.
 *
 * @implNote Chosen over Vert.x's local async map ({@link SharedDataPresenceStore}, still used when
 *     clustered): its {@code get} copies the stored {@code JsonObject} and completes through a
 *     context task, and reading the copy back into sessions made presence about 10 % of the node's
 *     CPU for a qos-0 push (docs/benchmarks.md, section 13).
 */
public final class LocalPresenceStore implements PresenceStore {
  private static final Comparator<SessionRef> BY_APPCODE =
      Comparator.comparingInt(SessionRef::appcode);

  private final ConcurrentHashMap<String, List<SessionRef>> users = new ConcurrentHashMap<>();

  @Override
  public Future<SessionRef> put(SessionRef session) {
    AtomicReference<SessionRef> replaced = new AtomicReference<>();
    users.compute(
        session.uid(),
        (uid, current) -> {
          List<SessionRef> next = new ArrayList<>(current == null ? 1 : current.size() + 1);
          if (current != null) {
            for (SessionRef other : current) {
              if (other.appcode() == session.appcode()) {
                replaced.set(other);
              } else {
                next.add(other);
              }
            }
          }
          next.add(session);
          next.sort(BY_APPCODE);
          return List.copyOf(next);
        });
    return Future.succeededFuture(replaced.get());
  }

  @Override
  public Future<Boolean> remove(SessionRef session) {
    AtomicBoolean removed = new AtomicBoolean();
    users.computeIfPresent(
        session.uid(),
        (uid, current) -> {
          List<SessionRef> next = without(current, session);
          removed.set(next != current);
          return next.isEmpty() ? null : next;
        });
    return Future.succeededFuture(removed.get());
  }

  /** {@code current} without the pair's record if it is {@code session}'s; else {@code current}. */
  private static List<SessionRef> without(List<SessionRef> current, SessionRef session) {
    for (SessionRef record : current) {
      if (record.appcode() == session.appcode()) {
        if (!record.session().equals(session.session())) {
          return current;
        }
        List<SessionRef> next = new ArrayList<>(current);
        next.remove(record);
        return List.copyOf(next);
      }
    }
    return current;
  }

  @Override
  public Future<List<SessionRef>> sessions(String uid) {
    List<SessionRef> current = users.get(uid);
    return Future.succeededFuture(current == null ? List.of() : current);
  }

  @Override
  public Future<Integer> removeNode(String node) {
    AtomicInteger removed = new AtomicInteger();
    for (String uid : List.copyOf(users.keySet())) {
      users.computeIfPresent(
          uid,
          (key, current) -> {
            SessionRef[] kept =
                current.stream().filter(r -> !r.node().equals(node)).toArray(SessionRef[]::new);
            removed.addAndGet(current.size() - kept.length);
            return kept.length == 0 ? null : List.copyOf(Arrays.asList(kept));
          });
    }
    return Future.succeededFuture(removed.get());
  }

  /** Records live as long as this process: nothing to refresh. */
  @Override
  public Future<Void> refresh(String node, Collection<SessionRef> sessions) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
