package io.courier.gate;

import io.courier.cluster.GateDirectory;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.SessionRef;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's gate in the gate list, refreshes the presence records of its sessions in
 * batches, and takes the commands addressed to this node's sessions ({@link
 * Addresses#gate(String)}) and hands each to the connection that owns the session, on that
 * connection's event loop.
 */
public final class GateNodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GateNodeVerticle.class);

  private final CourierConfig config;
  private final LocalSessions sessions;
  private final PresenceStore presence;
  private GateDirectory directory;
  private String publicHost;

  public GateNodeVerticle(CourierConfig config, LocalSessions sessions, PresenceStore presence) {
    this.config = config;
    this.sessions = sessions;
    this.presence = presence;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(config.presenceTtlSeconds() * 1000L / 3, id -> refreshPresence());
    directory = new GateDirectory(vertx);
    publicHost = publicHost(config);
    publishGate();
    vertx.setPeriodic(GateDirectory.PUBLISH_INTERVAL_MS, id -> publishGate());
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.gate(sessions.node()),
            message -> {
              String op = message.body().getString(GateCommand.OP);
              if (GateCommand.OP_KICK.equals(op)) {
                kick(message.body());
              } else if (GateCommand.OP_PUSH.equals(op)) {
                push(message);
              } else {
                LOG.warn("unknown gate command {}", op);
              }
            })
        .completion();
  }

  @Override
  public Future<?> stop() {
    return directory.remove(sessions.node());
  }

  private void publishGate() {
    directory
        .publish(sessions.node(), publicHost, config.gatePort(), sessions.size())
        .onFailure(e -> LOG.warn("gate list entry not published: {}", e.getMessage()));
  }

  /**
   * The address clients should use: configured, else the gate's own interface, else the cluster
   * address, else this host's.
   */
  private static String publicHost(CourierConfig config) {
    if (config.gatePublicHost() != null) {
      return config.gatePublicHost();
    }
    if (!config.gateHost().equals("0.0.0.0")) {
      return config.gateHost();
    }
    if (config.clusterHost() != null) {
      return config.clusterHost();
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /**
   * Keeps this node's presence records alive: one refresh of all its sessions (the store sends it
   * in bounded chunks), every third of the TTL.
   */
  private void refreshPresence() {
    Collection<SessionRef> loggedIn = sessions.loggedInSessions();
    presence
        .refresh(sessions.node(), loggedIn)
        .onFailure(
            e ->
                LOG.warn(
                    "presence refresh of {} sessions failed: {}", loggedIn.size(), e.getMessage()));
  }

  private void kick(JsonObject command) {
    String session = command.getString("session");
    sessions
        .find(session)
        .ifPresentOrElse(
            connection -> connection.kick(Code.fromValue(command.getInteger("code"))),
            () -> LOG.debug("kick for session {} which is no longer on this node", session));
  }

  private void push(Message<JsonObject> message) {
    JsonArray items = message.body().getJsonArray("items");
    List<PushItem> pushes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      pushes.add(PushItem.fromJson(items.getJsonObject(i)));
    }
    sessions
        .push(pushes)
        .onComplete(done -> message.reply(new GateCommand.PushResults(done.result()).toJson()));
  }
}
