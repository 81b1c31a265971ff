package io.courier.client.cli;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;

/** Opens a connection to a gate and logs in, for the commands that act as a user. */
final class GateLogin {
  /** How long a connection attempt may take: a CLI should not hang for Netty's default 60 s. */
  static final int CONNECT_TIMEOUT_MS = 10_000;

  private GateLogin() {}

  static CourierClient client(Vertx vertx, GateOptions gate) {
    return new CourierClient(
        vertx,
        new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS),
        CourierClient.DEFAULT_REQUEST_TIMEOUT,
        gate.tls());
  }

  static CourierConnection connect(CourierClient client, GateOptions gate) throws CommandFailure {
    return CommandFailure.await(
        client.connect(gate.port(), gate.host()),
        "cannot connect to " + gate.host() + ":" + gate.port());
  }

  /**
   * Logs in; the result is the status line to show. On a refusal closes the connection and fails
   * with the code and its meaning.
   */
  static String login(CourierConnection connection, GateOptions gate) throws CommandFailure {
    JsonObject answer =
        CommandFailure.await(
            connection.login(gate.uid(), gate.appcode(), gate.token()),
            "login as " + gate.describe());
    Outcome outcome = Lines.login(gate, answer);
    if (!outcome.succeeded()) {
      connection.close();
      throw new CommandFailure(outcome.line());
    }
    return outcome.line();
  }
}
