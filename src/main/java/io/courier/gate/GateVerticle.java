package io.courier.gate;

import io.courier.config.CourierConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One gate instance: a TCP server on the gate port (Vert.x spreads the accepted sockets over the instances
 * that listen on the same port, one instance per event loop) and the connections it accepted.
 */
public final class GateVerticle extends VerticleBase {
  private final CourierConfig config;
  private final LocalSessions sessions;
  private final SessionCommands commands;

  public GateVerticle(CourierConfig config, LocalSessions sessions, SessionCommands commands) {
    this.config = config;
    this.sessions = sessions;
    this.commands = commands;
  }

  @Override
  public Future<?> start() {
    Gate gate = new Gate(vertx, config, sessions, commands);
    NetServer server = vertx.createNetServer(new NetServerOptions()
      .setTcpNoDelay(true)
      .setTcpKeepAlive(true)
      .setReuseAddress(true));
    server.connectHandler(socket -> new Connection(gate, socket, context).start());
    return server.listen(config.gatePort(), config.gateHost());
  }
}
