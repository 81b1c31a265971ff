package io.courier.gate;

import io.courier.contract.Addresses;
import io.courier.contract.GateCommand;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the commands addressed to this node's sessions ({@link Addresses#gate(String)}) and hands each to
 * the connection that owns the session, on that connection's event loop.
 */
public final class GateNodeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GateNodeVerticle.class);

  private final LocalSessions sessions;

  public GateNodeVerticle(LocalSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.gate(sessions.node()), message -> {
      JsonObject command = message.body();
      String session = command.getString("session");
      if (GateCommand.OP_KICK.equals(command.getString(GateCommand.OP))) {
        sessions.find(session).ifPresentOrElse(
          connection -> connection.kick(Code.fromValue(command.getInteger("code"))),
          () -> LOG.debug("kick for session {} which is no longer on this node", session));
      } else {
        LOG.warn("unknown gate command {}", command.getString(GateCommand.OP));
      }
    }).completion();
  }
}
