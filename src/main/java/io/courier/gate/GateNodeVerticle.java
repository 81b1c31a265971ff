package io.courier.gate;

import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.contract.GateCommand.PushItem;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Refreshes the presence records of this node's sessions in batches, and takes the commands addressed to
 * this node's sessions ({@link Addresses#gate(String)}) and hands each to
 * the connection that owns the session, on that connection's event loop.
 */
public final class GateNodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GateNodeVerticle.class);

  private final LocalSessions sessions;
  private final PresenceStore presence;
  private final int presenceTtlSeconds;

  public GateNodeVerticle(LocalSessions sessions, PresenceStore presence, int presenceTtlSeconds) {
    this.sessions = sessions;
    this.presence = presence;
    this.presenceTtlSeconds = presenceTtlSeconds;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(presenceTtlSeconds * 1000L / 3, id -> refreshPresence());
    return vertx.eventBus().<JsonObject>consumer(Addresses.gate(sessions.node()), message -> {
      String op = message.body().getString(GateCommand.OP);
      if (GateCommand.OP_KICK.equals(op)) {
        kick(message.body());
      } else if (GateCommand.OP_PUSH.equals(op)) {
        push(message);
      } else {
        LOG.warn("unknown gate command {}", op);
      }
    }).completion();
  }

  /** Keeps this node's presence records alive: one batch for all its sessions, every third of the TTL. */
  private void refreshPresence() {
    presence.refresh(sessions.node(), sessions.loggedInSessions()).onFailure(e ->
      LOG.warn("presence refresh of {} sessions failed: {}", sessions.loggedInSessions().size(), e.getMessage()));
  }

  private void kick(JsonObject command) {
    String session = command.getString("session");
    sessions.find(session).ifPresentOrElse(
      connection -> connection.kick(Code.fromValue(command.getInteger("code"))),
      () -> LOG.debug("kick for session {} which is no longer on this node", session));
  }

  private void push(Message<JsonObject> message) {
    JsonArray items = message.body().getJsonArray("items");
    List<Future<Boolean>> written = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      PushItem item = PushItem.fromJson(items.getJsonObject(i));
      written.add(sessions.find(item.session())
        .map(connection -> connection.push(item.qos(), item.message()))
        .orElse(Future.succeededFuture(false)));
    }
    Future.join(written).onComplete(done -> {
      JsonArray results = new JsonArray();
      written.forEach(result -> results.add(result.succeeded() && result.result()));
      message.reply(new JsonObject().put("results", results));
    });
  }
}
