package io.courier.admin;

import io.courier.contract.Addresses;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the operator controls ({@link OperatorControls}) to {@code courier.admin.*} and keeps this
 * node's {@link BanTable} in step with the cluster: loaded before {@code start()} completes,
 * reloaded on every change notice ({@link Addresses#BANS_CHANGED}) and every {@link
 * #REFRESH_INTERVAL_MS}, which also covers a notice lost while a node was joining. One instance per
 * node, on every node whatever its roles.
 */
public final class OperatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorVerticle.class);

  /** How often the table is reloaded without a change notice: 10,000 ms. */
  static final long REFRESH_INTERVAL_MS = 10_000;

  private final BanTable table;
  private final PresenceStore presence;
  private final Runnable afterNewBan;
  private OperatorControls controls;

  /**
   * @param table this node's copy of the bans, read by its gate
   * @param afterNewBan kicks this node's sessions covered by a newly banned target (nothing on a
   *     node without a gate)
   */
  public OperatorVerticle(BanTable table, PresenceStore presence, Runnable afterNewBan) {
    this.table = table;
    this.presence = presence;
    this.afterNewBan = afterNewBan;
  }

  @Override
  public Future<?> start() {
    controls =
        new OperatorControls(
            table,
            new BanStore(vertx),
            presence,
            vertx.eventBus(),
            System::currentTimeMillis,
            afterNewBan);
    vertx.setPeriodic(REFRESH_INTERVAL_MS, id -> refresh());
    return Future.all(
            bind(Addresses.ADMIN_KICK, controls::kick),
            bind(Addresses.ADMIN_BAN, controls::ban),
            bind(Addresses.ADMIN_BANS, controls::bans),
            bind(Addresses.ADMIN_UNBAN, controls::unban),
            vertx.eventBus().consumer(Addresses.BANS_CHANGED, message -> refresh()).completion())
        .compose(v -> controls.refresh());
  }

  private void refresh() {
    controls
        .refresh()
        .onFailure(e -> LOG.warn("bans not reloaded from the cluster: {}", e.toString()));
  }

  /** Replies to each request on {@code address}; a body that is not a JSON object gets 400. */
  private Future<Void> bind(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx
        .eventBus()
        .consumer(
            address,
            message -> {
              if (!(message.body() instanceof JsonObject body)) {
                message.reply(
                    Result.error(Code.BAD_REQUEST, "body must be a JSON object").toJson());
                return;
              }
              handler.apply(body).onSuccess(message::reply);
            })
        .completion();
  }
}
