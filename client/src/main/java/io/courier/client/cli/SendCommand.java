package io.courier.client.cli;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.protocol.Command;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/**
 * {@code courier-cli send}: logs in, sends one C2C (or C2G) message, prints the answer and closes
 * (which ends the session). PUSHes that reach the sender meanwhile are left unacknowledged, so they
 * stay in its offline store for its next PULL.
 */
final class SendCommand {
  private final Vertx vertx;
  private final SendOptions options;
  private final PrintStream out;
  private final PrintStream err;

  SendCommand(Vertx vertx, SendOptions options, PrintStream out, PrintStream err) {
    this.vertx = vertx;
    this.options = options;
    this.out = out;
    this.err = err;
  }

  int run() {
    CourierClient client = GateLogin.client(vertx, options.gate());
    try {
      CourierConnection connection = GateLogin.connect(client, options.gate());
      GateLogin.login(connection, options.gate());
      Command command = options.groupId() == null ? Command.C2C : Command.C2G;
      JsonObject answer = CommandFailure.await(connection.request(command, body()), command.name());
      return CourierCli.report(Lines.c2c(answer), out, err);
    } catch (CommandFailure e) {
      err.println(CourierCli.PREFIX + e.getMessage());
      return Outcome.FAILED;
    } finally {
      client.close().await();
    }
  }

  private JsonObject body() {
    JsonObject body =
        options.groupId() == null
            ? new JsonObject().put("to_uid", options.toUid()).put("to_appcode", options.toAppcode())
            : new JsonObject().put("group_id", options.groupId());
    return body.put("cmid", options.cmid())
        .put("msgtype", options.msgtype())
        .put("content", options.text());
  }
}
