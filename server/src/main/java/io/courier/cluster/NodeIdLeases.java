package io.courier.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases of msgid node ids (0–1023) in the cluster's shared data, {@code id → Vert.x node id}, so
 * that two live nodes never stamp msgids with the same node id. A node takes the first free id from
 * its configured hint upwards; the detector releases the leases of a node that left, and a node
 * that rejoins (with a new Vert.x node id) takes a lease again. A node that reuses the id of a dead
 * one cannot repeat its msgids: msgids grow with time and each node starts above the highest msgid
 * in the store. A live node that was declared dead and lost its lease stops issuing msgids until it
 * holds one again ({@link NodeIdLeaseVerticle}).
 */
public final class NodeIdLeases {
  public static final String MAP = "courier.msgid-nodes";

  private final Vertx vertx;

  public NodeIdLeases(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Takes the first free id at or after {@code hint} (wrapping); fails when all 1024 are leased.
   */
  public Future<Integer> acquire(int hint, String node) {
    return map().compose(map -> tryFrom(map, hint, node, 0));
  }

  private Future<Integer> tryFrom(AsyncMap<Integer, String> map, int hint, String node, int tried) {
    if (tried > MsgIdGenerator.MAX_NODE_ID) {
      return Future.failedFuture(
          new IllegalStateException(
              "all " + (MsgIdGenerator.MAX_NODE_ID + 1) + " msgid node ids are leased"));
    }
    int id = (hint + tried) % (MsgIdGenerator.MAX_NODE_ID + 1);
    return map.putIfAbsent(id, node)
        .compose(
            holder ->
                holder == null || holder.equals(node)
                    ? Future.succeededFuture(id)
                    : tryFrom(map, hint, node, tried + 1));
  }

  /** The node that holds the lease of {@code id}, null when none does. */
  public Future<String> holder(int id) {
    return map().compose(map -> map.get(id));
  }

  /** Releases every lease held by {@code node}; the result is how many. */
  public Future<Integer> releaseAll(String node) {
    return map()
        .compose(
            map ->
                map.entries()
                    .compose(
                        entries -> {
                          List<Future<Boolean>> removals = new ArrayList<>();
                          entries.forEach(
                              (id, holder) -> {
                                if (holder.equals(node)) {
                                  removals.add(map.removeIfPresent(id, holder));
                                }
                              });
                          return Future.all(removals).map(done -> removals.size());
                        }));
  }

  private Future<AsyncMap<Integer, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
