package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.contract.Receipts;
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

  public GateVerticle(CourierConfig config, LocalSessions sessions) {
    this.config = config;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    Gate gate = new Gate(vertx, config, sessions,
      new LogicClient(vertx.eventBus(), Gate.requestOptions(config)), new Receipts(vertx.eventBus()));
    NetServer server = vertx.createNetServer(new NetServerOptions()
      .setTcpNoDelay(true)
      .setTcpKeepAlive(true)
      .setReuseAddress(true));
    server.connectHandler(socket -> new Connection(gate, socket, context).start());
    return server.listen(config.gatePort(), config.gateHost());
  }
}
