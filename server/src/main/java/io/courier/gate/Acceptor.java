package io.courier.gate;

import io.courier.gate.Admission.Verdict;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gate does with each client socket it accepts, whatever its transport (TCP, WebSocket): the
 * operators' bans and the node's {@link Admission} first, then a {@link Connection} that is counted
 * against the address until it closes.
 */
final class Acceptor {
  private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);

  private final Gate gate;
  private final Admission admission;
  private final OperatorBans bans;

  Acceptor(Gate gate, Admission admission, OperatorBans bans) {
    this.gate = gate;
    this.admission = admission;
    this.bans = bans;
  }

  /**
   * Admits the socket of a client at {@code host}, or refuses it: then {@code refuse} gets the one
   * ERROR frame to write before closing, and nothing is read from the socket.
   *
   * @return the connection, or null when refused
   */
  Connection accept(String host, Consumer<Buffer> refuse, ClientSocket socket) {
    String address = Admission.keyOf(host);
    Verdict verdict =
        bans.addressBanned(host) ? Verdict.OPERATOR_BAN_ADDRESS : admission.admit(address);
    if (verdict != Verdict.ADMITTED) {
      gate.metrics().connectionRefused(verdict);
      LOG.debug("connection from {} refused: {}", address, verdict.reason());
      refuse.accept(Outbound.errorFrame(verdict.code(), 0, verdict.msg()));
      return null;
    }
    Connection connection =
        new Connection(
            gate.withLogic(
                new AdmittedLogin(gate.logic(), admission, bans, gate.metrics(), address)),
            socket);
    bans.opened(connection.sessionId(), host);
    connection
        .closed()
        .onComplete(
            closed -> {
              admission.release(address);
              bans.closed(connection.sessionId());
            });
    connection.start();
    return connection;
  }
}
