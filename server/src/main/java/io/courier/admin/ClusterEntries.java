package io.courier.admin;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the operators' cluster-wide tables (bans, revoked tokens): its entries in a shared-data
 * map, each living as long as it holds, and a notice published on every change so that each node
 * reloads its copy.
 *
 * @implNote Values are the entry's JSON text, not a {@code JsonObject}, so the Hazelcast map holds
 *     plain strings whatever codec the cluster uses.
 * @param <T> the entry's type
 */
final class ClusterEntries<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEntries.class);

  /** Reads an entry back from its JSON. */
  interface Reader<T> {
    T read(JsonObject json) throws MalformedBodyException;
  }

  private final Vertx vertx;
  private final String mapName;
  private final String changed;
  private final Function<T, JsonObject> writer;
  private final Reader<T> reader;

  /**
   * @param mapName the shared-data map (a Hazelcast map when clustered, a local one when not)
   * @param changed where every change is published
   */
  ClusterEntries(
      Vertx vertx,
      String mapName,
      String changed,
      Function<T, JsonObject> writer,
      Reader<T> reader) {
    this.vertx = vertx;
    this.mapName = mapName;
    this.changed = changed;
    this.writer = writer;
    this.reader = reader;
  }

  /** Stores {@code entry} under {@code key} for {@code ttlMs}, replacing one, and announces it. */
  Future<Void> put(String key, T entry, long ttlMs) {
    return map()
        .compose(map -> map.put(key, writer.apply(entry).encode(), Math.max(1, ttlMs)))
        .onSuccess(v -> announce());
  }

  /** Removes the entry of {@code key} and announces it; true when there was one. */
  Future<Boolean> remove(String key) {
    return map()
        .compose(map -> map.remove(key))
        .map(previous -> previous != null)
        .onSuccess(v -> announce());
  }

  /** Every entry stored; one that does not read back is logged and left out. */
  Future<List<T>> all() {
    return map()
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              List<T> all = new ArrayList<>(entries.size());
              entries.forEach(
                  (key, json) -> {
                    try {
                      all.add(reader.read(new JsonObject(json)));
                    } catch (MalformedBodyException | RuntimeException e) {
                      LOG.warn("{} entry {} unreadable, ignored: {}", mapName, key, e.getMessage());
                    }
                  });
              return all;
            });
  }

  private void announce() {
    vertx.eventBus().publish(changed, new JsonObject());
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
