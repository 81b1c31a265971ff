package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Presence in Vert.x shared data: a local map on a single node, a Hazelcast map when clustered.
 *
 * <p>One entry per uid, {@code uid → {"<appcode>": {node, session, since}, …}}, so that all
 * sessions of a user are one read. Updates are compare-and-set loops ({@code
 * replaceIfPresent}/{@code putIfAbsent} with the value just read), which makes each operation
 * atomic without a lock.
 *
 * @implNote A map entry per {@code (uid, appcode)} was rejected: {@link AsyncMap} cannot list keys
 *     by prefix, so {@link #sessions(String)} would need a scan.
 */
public final class SharedDataPresenceStore implements PresenceStore {
  public static final String MAP_NAME = "courier.presence";

  private final Future<AsyncMap<String, JsonObject>> map;

  public SharedDataPresenceStore(Vertx vertx) {
    this.map = vertx.sharedData().getAsyncMap(MAP_NAME);
  }

  @Override
  public Future<SessionRef> put(SessionRef session) {
    return map.compose(
        m ->
            update(
                    m,
                    session.uid(),
                    current -> {
                      JsonObject next = current == null ? new JsonObject() : current.copy();
                      next.put(key(session.appcode()), entry(session));
                      return next;
                    })
                .map(
                    previous -> {
                      JsonObject old =
                          previous == null ? null : previous.getJsonObject(key(session.appcode()));
                      return old == null ? null : recordOf(session.uid(), session.appcode(), old);
                    }));
  }

  @Override
  public Future<Boolean> remove(SessionRef session) {
    return map.compose(
        m ->
            update(
                    m,
                    session.uid(),
                    current -> {
                      if (!isOwnRecord(current, session)) {
                        return current;
                      }
                      JsonObject next = current.copy();
                      next.remove(key(session.appcode()));
                      return next;
                    })
                .map(previous -> isOwnRecord(previous, session)));
  }

  /** Whether the pair's record in {@code entry} is {@code session}'s. */
  private static boolean isOwnRecord(JsonObject entry, SessionRef session) {
    JsonObject record = entry == null ? null : entry.getJsonObject(key(session.appcode()));
    return record != null && session.session().equals(record.getString("session"));
  }

  @Override
  public Future<List<SessionRef>> sessions(String uid) {
    return map.compose(m -> m.get(uid))
        .map(
            current -> {
              List<SessionRef> result = new ArrayList<>();
              if (current != null) {
                for (String appcode : current.fieldNames()) {
                  result.add(
                      recordOf(uid, Integer.parseInt(appcode), current.getJsonObject(appcode)));
                }
              }
              result.sort(Comparator.comparingInt(SessionRef::appcode));
              return result;
            });
  }

  @Override
  public Future<Integer> removeNode(String node) {
    return map.compose(
        m ->
            m.entries()
                .compose(
                    entries -> {
                      List<Future<Boolean>> removals = new ArrayList<>();
                      for (Map.Entry<String, JsonObject> entry : entries.entrySet()) {
                        for (String appcode : entry.getValue().fieldNames()) {
                          JsonObject record = entry.getValue().getJsonObject(appcode);
                          if (node.equals(record.getString("node"))) {
                            removals.add(
                                remove(
                                    recordOf(entry.getKey(), Integer.parseInt(appcode), record)));
                          }
                        }
                      }
                      return Future.all(removals)
                          .map(all -> (int) removals.stream().filter(f -> f.result()).count());
                    }));
  }

  /** Shared-data records live as long as the cluster member that holds them: nothing to refresh. */
  @Override
  public Future<Void> refresh(String node, Collection<SessionRef> sessions) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * Applies {@code change} to the uid's entry until the compare-and-set wins; the result is the
   * entry it replaced. A change that returns the entry itself writes nothing; one that leaves it
   * empty removes it.
   */
  private static Future<JsonObject> update(
      AsyncMap<String, JsonObject> m, String uid, UnaryOperator<JsonObject> change) {
    return m.get(uid)
        .compose(
            current -> {
              JsonObject next = change.apply(current);
              if (next == current) {
                return Future.succeededFuture(current);
              }
              Future<Boolean> swapped;
              if (current == null) {
                swapped = m.putIfAbsent(uid, next).map(existing -> existing == null);
              } else if (next.isEmpty()) {
                swapped = m.removeIfPresent(uid, current);
              } else {
                swapped = m.replaceIfPresent(uid, current, next);
              }
              return swapped.compose(
                  done -> done ? Future.succeededFuture(current) : update(m, uid, change));
            });
  }

  private static String key(int appcode) {
    return Integer.toString(appcode);
  }

  private static JsonObject entry(SessionRef session) {
    return new JsonObject()
        .put("node", session.node())
        .put("session", session.session())
        .put("since", session.since());
  }

  private static SessionRef recordOf(String uid, int appcode, JsonObject entry) {
    return new SessionRef(
        uid, appcode, entry.getString("node"), entry.getString("session"), entry.getLong("since"));
  }
}
