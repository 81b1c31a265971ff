package io.courier.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a provider last accepted a wake-up notification for a receiver {@code (uid, appcode)}, so
 * that a PULL can tell a message pulled after a notification from one pulled without ({@link
 * Reach}). A notification and the PULL it leads to may be served by different nodes: the marks live
 * in the cluster's shared data (a local map on a single node), each for {@value #TTL_MS} ms.
 *
 * @implNote One mark per receiver, not per message: a notification wakes the app for everything
 *     waiting (and several messages collapse into one), so "a notification accepted since the
 *     message was" is the question, and one map entry answers it for every message of a PULL page
 *     with one read. Rejected: marking in the message store (being rewritten, and a write per
 *     message) and a node-local map (wrong whenever the PULL lands on another node).
 */
public interface NotifiedMarks {
  /** How long a mark is kept: a PULL more than a day after the notification counts as without. */
  long TTL_MS = 24 * 3600 * 1000L;

  /** The name of the shared-data map. */
  String MAP = "courier.push.notified";

  /** A provider accepted a notification for {@code (uid, appcode)} at {@code at} (ms). */
  void mark(String uid, int appcode, long at);

  /** The time of the last mark of {@code (uid, appcode)}, or 0 when there is none. */
  Future<Long> last(String uid, int appcode);

  /** Marks in the shared data of {@code vertx}: a Hazelcast map when clustered. */
  static NotifiedMarks sharedData(Vertx vertx) {
    Future<AsyncMap<String, Long>> map = vertx.sharedData().getAsyncMap(MAP);
    return new NotifiedMarks() {
      @Override
      public void mark(String uid, int appcode, long at) {
        map.compose(marks -> marks.put(key(uid, appcode), at, TTL_MS));
      }

      @Override
      public Future<Long> last(String uid, int appcode) {
        return map.compose(marks -> marks.get(key(uid, appcode))).map(at -> at == null ? 0L : at);
      }
    };
  }

  /** Marks in this JVM only, never expiring: for tests. */
  static NotifiedMarks inMemory() {
    Map<String, Long> marks = new ConcurrentHashMap<>();
    return new NotifiedMarks() {
      @Override
      public void mark(String uid, int appcode, long at) {
        marks.merge(key(uid, appcode), at, Math::max);
      }

      @Override
      public Future<Long> last(String uid, int appcode) {
        return Future.succeededFuture(marks.getOrDefault(key(uid, appcode), 0L));
      }
    };
  }

  private static String key(String uid, int appcode) {
    return appcode + ":" + uid;
  }
}
