package io.courier.admin;

import io.courier.contract.Addresses;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.protocol.body.Ban;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.Revocation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the operator controls ({@link OperatorControls}) to {@code courier.admin.*} and {@code
 * courier.tokens.revoke}, and keeps this node's {@link BanTable} and {@link RevocationTable} in
 * step with the cluster: loaded before {@code start()} completes, reloaded on every change notice
 * ({@link Addresses#BANS_CHANGED}, {@link Addresses#REVOCATIONS_CHANGED}) and every {@link
 * #REFRESH_INTERVAL_MS}, which also covers a notice lost while a node was joining. One instance per
 * node, on every node whatever its roles.
 */
public final class OperatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorVerticle.class);

  /** How often the tables are reloaded without a change notice: 10,000 ms. */
  static final long REFRESH_INTERVAL_MS = 10_000;

  private final BanTable table;
  private final RevocationTable revocations;
  private final int maxRevocations;
  private final PresenceStore presence;
  private final Runnable afterNewBan;
  private final Runnable afterNewRevocation;
  private OperatorControls controls;

  /**
   * @param table this node's copy of the bans, read by its gate
   * @param revocations this node's copy of the revoked tokens, read by its login role and gate
   * @param maxRevocations revocations the cluster keeps at once
   * @param afterNewBan kicks this node's sessions covered by a newly banned target (nothing on a
   *     node without a gate)
   * @param afterNewRevocation kicks this node's sessions whose token was newly revoked (nothing on
   *     a node without a gate)
   */
  public OperatorVerticle(
      BanTable table,
      RevocationTable revocations,
      int maxRevocations,
      PresenceStore presence,
      Runnable afterNewBan,
      Runnable afterNewRevocation) {
    this.table = table;
    this.revocations = revocations;
    this.maxRevocations = maxRevocations;
    this.presence = presence;
    this.afterNewBan = afterNewBan;
    this.afterNewRevocation = afterNewRevocation;
  }

  @Override
  public Future<?> start() {
    controls =
        new OperatorControls(
            table,
            new ClusterEntries<>(
                vertx, Addresses.BANS_MAP, Addresses.BANS_CHANGED, Ban::toJson, Ban::fromJson),
            revocations,
            new ClusterEntries<>(
                vertx,
                Addresses.REVOCATIONS_MAP,
                Addresses.REVOCATIONS_CHANGED,
                Revocation::toJson,
                Revocation::fromJson),
            maxRevocations,
            presence,
            vertx.eventBus(),
            System::currentTimeMillis,
            afterNewBan,
            afterNewRevocation);
    vertx.setPeriodic(
        REFRESH_INTERVAL_MS,
        id -> {
          refreshBans();
          refreshRevocations();
        });
    return Future.all(
            List.of(
                bind(Addresses.ADMIN_KICK, controls::kick),
                bind(Addresses.ADMIN_BAN, controls::ban),
                bind(Addresses.ADMIN_BANS, controls::bans),
                bind(Addresses.ADMIN_UNBAN, controls::unban),
                bind(Addresses.TOKENS_REVOKE, controls::revoke),
                bind(Addresses.ADMIN_REVOCATIONS, controls::revocations),
                vertx
                    .eventBus()
                    .consumer(Addresses.BANS_CHANGED, message -> refreshBans())
                    .completion(),
                vertx
                    .eventBus()
                    .consumer(Addresses.REVOCATIONS_CHANGED, message -> refreshRevocations())
                    .completion()))
        .compose(v -> Future.all(controls.refreshBans(), controls.refreshRevocations()));
  }

  private void refreshBans() {
    controls
        .refreshBans()
        .onFailure(e -> LOG.warn("bans not reloaded from the cluster: {}", e.toString()));
  }

  private void refreshRevocations() {
    controls
        .refreshRevocations()
        .onFailure(e -> LOG.warn("revocations not reloaded from the cluster: {}", e.toString()));
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
