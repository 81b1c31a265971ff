package io.courier.admin;

import io.courier.contract.Addresses;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Ban;
import io.courier.protocol.body.BanTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's bans in the shared-data map {@link Addresses#BANS_MAP}, each entry living as long
 * as its ban; every change is announced on {@link Addresses#BANS_CHANGED} so that each node reloads
 * its {@link BanTable}.
 *
 * @implNote Values are the ban's JSON text, not a {@code JsonObject}, so the Hazelcast map holds
 *     plain strings whatever codec the cluster uses.
 */
final class BanStore {
  private static final Logger LOG = LoggerFactory.getLogger(BanStore.class);

  private final Vertx vertx;

  BanStore(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Stores {@code ban}, replacing one of its target, and announces it. */
  Future<Void> place(Ban ban, long nowMs) {
    long ttlMs = Math.max(1, ban.until() - nowMs);
    return map()
        .compose(map -> map.put(ban.target().key(), ban.toJson().encode(), ttlMs))
        .onSuccess(v -> announce());
  }

  /** Removes the ban of {@code target} and announces it; true when there was one. */
  Future<Boolean> lift(BanTarget target) {
    return map()
        .compose(map -> map.remove(target.key()))
        .map(previous -> previous != null)
        .onSuccess(v -> announce());
  }

  /** Every ban stored; an entry that does not read as a ban is logged and left out. */
  Future<List<Ban>> all() {
    return map()
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              List<Ban> bans = new ArrayList<>(entries.size());
              entries.forEach(
                  (key, json) -> {
                    try {
                      bans.add(Ban.fromJson(new JsonObject(json)));
                    } catch (MalformedBodyException | RuntimeException e) {
                      LOG.warn("ban entry {} unreadable, ignored: {}", key, e.getMessage());
                    }
                  });
              return bans;
            });
  }

  private void announce() {
    vertx.eventBus().publish(Addresses.BANS_CHANGED, new JsonObject());
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(Addresses.BANS_MAP);
  }
}
