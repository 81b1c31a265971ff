package io.courier.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;

/**
 * The healthy gates of the cluster, in shared data: {@code node → {node, host, port, connections,
 * updated}}. Each gate node publishes its entry every {@link #PUBLISH_INTERVAL_MS} with a TTL of
 * three intervals, so the entry of a node that stops publishing disappears by itself; the detector
 * removes it at once when the node leaves the cluster.
 */
public final class GateDirectory {
  public static final String MAP = "courier.gates";
  public static final long PUBLISH_INTERVAL_MS = 2_000;
  static final long TTL_MS = 3 * PUBLISH_INTERVAL_MS;

  private final Vertx vertx;

  public GateDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> publish(String node, String host, int port, int connections) {
    JsonObject entry =
        new JsonObject()
            .put("node", node)
            .put("host", host)
            .put("port", port)
            .put("connections", connections)
            .put("updated", System.currentTimeMillis());
    return map().compose(map -> map.put(node, entry, TTL_MS));
  }

  public Future<Void> remove(String node) {
    return map().compose(map -> map.remove(node)).mapEmpty();
  }

  /** The gates, in no particular order ({@link GateOrder} orders them for clients). */
  public Future<List<JsonObject>> gates() {
    return map().compose(AsyncMap::entries).map(entries -> List.copyOf(entries.values()));
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
