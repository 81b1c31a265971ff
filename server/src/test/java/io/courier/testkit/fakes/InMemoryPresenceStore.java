package io.courier.testkit.fakes;

import io.courier.contract.SessionRef;
import io.courier.presence.PresenceStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PresenceStore} in a map, with the semantics of the real ones (one record per {@code
 * (uid, appcode)}, compare-and-remove) and a switch that takes it down, as a Redis outage would.
 * Every operation completes before it returns.
 */
public final class InMemoryPresenceStore implements PresenceStore {
  private final Map<Pair, SessionRef> records = new HashMap<>();
  private Throwable down;
  private int lookups;

  /** From now on every operation fails with {@code cause}, until {@link #up()}. */
  public synchronized void down(Throwable cause) {
    this.down = cause;
  }

  public synchronized void up() {
    this.down = null;
  }

  /** How many times {@link #sessions} was called. */
  public synchronized int lookups() {
    return lookups;
  }

  @Override
  public synchronized Future<SessionRef> put(SessionRef session) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    return Future.succeededFuture(records.put(Pair.of(session), session));
  }

  @Override
  public synchronized Future<Boolean> remove(SessionRef session) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    return Future.succeededFuture(records.remove(Pair.of(session), session));
  }

  @Override
  public synchronized Future<List<SessionRef>> sessions(String uid) {
    lookups++;
    if (down != null) {
      return Future.failedFuture(down);
    }
    List<SessionRef> found = new ArrayList<>();
    for (SessionRef session : records.values()) {
      if (session.uid().equals(uid)) {
        found.add(session);
      }
    }
    found.sort(Comparator.comparingInt(SessionRef::appcode));
    return Future.succeededFuture(found);
  }

  @Override
  public synchronized Future<Integer> removeNode(String node) {
    if (down != null) {
      return Future.failedFuture(down);
    }
    int before = records.size();
    records.values().removeIf(session -> session.node().equals(node));
    return Future.succeededFuture(before - records.size());
  }

  /** Records never expire here, so there is nothing to refresh. */
  @Override
  public synchronized Future<Void> refresh(String node, Collection<SessionRef> sessions) {
    return down != null ? Future.failedFuture(down) : Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private record Pair(String uid, int appcode) {
    static Pair of(SessionRef session) {
      return new Pair(session.uid(), session.appcode());
    }
  }
}
