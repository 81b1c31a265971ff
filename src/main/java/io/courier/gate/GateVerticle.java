package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.contract.Receipts;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

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

  private Gate gate;
  private NetServer server;

  @Override
  public Future<?> start() {
    gate = new Gate(vertx, config, sessions, new LogicClient(vertx.eventBus(), Gate.requestOptions(config)),
      new Receipts(vertx.eventBus()), new HashSet<>());
    server = vertx.createNetServer(new NetServerOptions()
      .setTcpNoDelay(true)
      .setTcpKeepAlive(true)
      .setReuseAddress(true));
    server.connectHandler(socket -> new Connection(gate, socket, context).start());
    return server.listen(config.gatePort(), config.gateHost());
  }

  /** Stops accepting, sends KICK 4002 to every connection and waits until they are closed. */
  @Override
  public Future<?> stop() {
    return server.close().compose(v -> {
      List<Future<Void>> closed = new ArrayList<>();
      for (Connection connection : List.copyOf(gate.connections())) {
        connection.kick(Code.KICK_SHUTDOWN);
        closed.add(connection.closed());
      }
      return Future.join(closed);
    });
  }
}
