package io.courier.admin;

import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.contract.SessionRef;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.Ban;
import io.courier.protocol.body.BanAnswer;
import io.courier.protocol.body.BanRequest;
import io.courier.protocol.body.BanTarget;
import io.courier.protocol.body.BansAnswer;
import io.courier.protocol.body.KickAnswer;
import io.courier.protocol.body.KickRequest;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.Revocation;
import io.courier.protocol.body.RevocationsAnswer;
import io.courier.protocol.body.RevokeAnswer;
import io.courier.protocol.body.UnbanAnswer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator controls behind {@code courier.admin.*}, {@code courier.tokens.revoke} and the admin
 * listener: kick a user's sessions, ban a uid or a source address for a while, list and lift bans,
 * revoke a login token until its expiry and list the revocations. Every answer is a JSON body
 * opened by its {@link Result}: 400 for a bad request, 503 when presence or the shared map cannot
 * be reached.
 *
 * <p>A ban (a revocation) is stored in the cluster's map and put in this node's table at once,
 * before the answer, so that a client of this node is refused as soon as the caller has the answer;
 * the other nodes have it when the change notice reaches them. The sessions a new ban or revocation
 * covers are kicked by each node from its own connections ({@code afterNewBan}, {@code
 * afterNewRevocation}): an address or a token is not in presence, and a node knows its own
 * connections'.
 */
final class OperatorControls {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorControls.class);

  private final BanTable table;
  private final ClusterEntries<Ban> store;
  private final RevocationTable revocations;
  private final ClusterEntries<Revocation> revocationStore;
  private final int maxRevocations;
  private final PresenceStore presence;
  private final EventBus bus;
  private final LongSupplier clockMs;
  private final Runnable afterNewBan;
  private final Runnable afterNewRevocation;

  /**
   * @param maxRevocations revocations the cluster keeps at once; one more is refused with 429
   * @param clockMs wall-clock time in ms since the epoch
   * @param afterNewBan kicks this node's sessions that a newly banned target covers
   * @param afterNewRevocation kicks this node's sessions whose token was newly revoked
   */
  OperatorControls(
      BanTable table,
      ClusterEntries<Ban> store,
      RevocationTable revocations,
      ClusterEntries<Revocation> revocationStore,
      int maxRevocations,
      PresenceStore presence,
      EventBus bus,
      LongSupplier clockMs,
      Runnable afterNewBan,
      Runnable afterNewRevocation) {
    this.table = table;
    this.store = store;
    this.revocations = revocations;
    this.revocationStore = revocationStore;
    this.maxRevocations = maxRevocations;
    this.presence = presence;
    this.bus = bus;
    this.clockMs = clockMs;
    this.afterNewBan = afterNewBan;
    this.afterNewRevocation = afterNewRevocation;
  }

  /** Sends KICK 4006 to each session presence knows for the uid (on one appcode, or all). */
  Future<JsonObject> kick(JsonObject body) {
    KickRequest request;
    try {
      request = KickRequest.fromJson(body);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return presence
        .sessions(request.uid())
        .map(
            sessions -> {
              List<SessionRef> kicked =
                  sessions.stream()
                      .filter(s -> request.appcode() == null || s.appcode() == request.appcode())
                      .toList();
              for (SessionRef session : kicked) {
                bus.send(
                    Addresses.gate(session.node()),
                    GateCommand.kick(session.session(), Code.KICK_OPERATOR));
              }
              LOG.info(
                  "operator kick of uid={} appcode={}: {} sessions",
                  request.uid(),
                  request.appcode() == null ? "all" : request.appcode(),
                  kicked.size());
              return new KickAnswer(kicked.size()).toJson();
            })
        .otherwise(this::unavailable);
  }

  /** Places a ban, in the cluster's map and in this node's table, and kicks what it covers here. */
  Future<JsonObject> ban(JsonObject body) {
    BanRequest request;
    BanTarget target;
    try {
      request = BanRequest.fromJson(body);
      target = BanTable.canonical(request.target());
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Result.error(Code.BAD_REQUEST, e.getMessage()).toJson());
    }
    long now = clockMs.getAsLong();
    Ban ban = new Ban(target, now + request.seconds() * 1000, request.reason());
    return store
        .put(ban.target().key(), ban, ban.until() - now)
        .map(
            v -> {
              LOG.info(
                  "operator ban of {} for {} s: {}",
                  target.key(),
                  request.seconds(),
                  request.reason());
              if (table.put(ban)) {
                afterNewBan.run();
              }
              return new BanAnswer(ban).toJson();
            })
        .otherwise(this::unavailable);
  }

  /** The bans in force, from this node's copy (refreshed on every change). */
  Future<JsonObject> bans(JsonObject body) {
    return Future.succeededFuture(new BansAnswer(table.list()).toJson());
  }

  /** Lifts a ban, in the cluster's map and in this node's table. */
  Future<JsonObject> unban(JsonObject body) {
    BanTarget target;
    try {
      target = BanTable.canonical(BanTarget.fromJson(body));
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Result.error(Code.BAD_REQUEST, e.getMessage()).toJson());
    }
    return store
        .remove(target.key())
        .map(
            stored -> {
              boolean lifted = table.remove(target) || stored;
              LOG.info("operator lifted the ban of {}: {}", target.key(), lifted);
              return new UnbanAnswer(lifted).toJson();
            })
        .otherwise(this::unavailable);
  }

  /**
   * Revokes a token until its {@code exp}, in the cluster's map and in this node's table, and kicks
   * this node's sessions that use it. A token already expired is answered without being kept.
   */
  Future<JsonObject> revoke(JsonObject body) {
    Revocation revocation;
    try {
      revocation = Revocation.fromJson(body);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    long now = clockMs.getAsLong();
    if (!revocation.activeAt(now)) {
      return Future.succeededFuture(new RevokeAnswer(revocation, false).toJson());
    }
    if (revocations.size() >= maxRevocations
        && !revocations.revoked(revocation.appcode(), revocation.jti())) {
      LOG.warn("revocation of {} refused: {} in force", revocation.key(), maxRevocations);
      return Future.succeededFuture(
          Result.error(
                  Code.RATE_LIMITED,
                  "too many revoked tokens in force (tokens.maxRevocations = "
                      + maxRevocations
                      + ")")
              .toJson());
    }
    return revocationStore
        .put(revocation.key(), revocation, revocation.untilMs() - now)
        .map(
            v -> {
              LOG.info(
                  "token {} revoked until exp {}: {}",
                  revocation.key(),
                  revocation.exp(),
                  revocation.reason());
              if (revocations.put(revocation)) {
                afterNewRevocation.run();
              }
              return new RevokeAnswer(revocation, true).toJson();
            })
        .otherwise(this::unavailable);
  }

  /** The revocations in force, from this node's copy (refreshed on every change). */
  Future<JsonObject> revocations(JsonObject body) {
    return Future.succeededFuture(new RevocationsAnswer(revocations.list()).toJson());
  }

  /** Reloads this node's revocations from the cluster's map; kicks what a new one covers here. */
  Future<Void> refreshRevocations() {
    return revocationStore
        .all()
        .map(
            all -> {
              if (revocations.replaceAll(all)) {
                afterNewRevocation.run();
              }
              return null;
            });
  }

  /** Reloads this node's bans from the cluster's map; kicks what a new ban covers here. */
  Future<Void> refreshBans() {
    return store
        .all()
        .map(
            bans -> {
              if (table.replaceAll(bans)) {
                afterNewBan.run();
              }
              return null;
            });
  }

  private JsonObject unavailable(Throwable failure) {
    LOG.warn("operator control failed: {}", failure.toString());
    return Result.error(Code.UNAVAILABLE, null).toJson();
  }
}
