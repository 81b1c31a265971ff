package io.courier.client.cli;

import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code courier-cli listen}: logs in, prints the offline messages (PULL, then OFFLINE_ACK), then
 * every PUSH as it arrives, acknowledging each. The client library sends the PINGs. Ends on a KICK
 * or a lost connection (exit 1), or on Ctrl-C, when a shutdown hook logs out first.
 */
final class ListenCommand {
  static final String USAGE =
      """
      usage: courier-cli listen --uid UID --appcode APPCODE [--token TOKEN] [--host HOST] [--port PORT]
                              [--tls] [--ca FILE]

      Logs in and prints the messages for UID on APPCODE, one line each on stdout:
        pulled msgid=ID kind=c2c from=alice/101 msgtype=1 content="hi"     (offline, on start)
        push msgid=ID kind=s2c from=- msgtype=1 content="order 42"         (as it arrives)
      Offline messages come first and are removed from the offline store (OFFLINE_ACK); every PUSH
      is acknowledged. Status lines go to stderr. Logging in replaces (KICK 4001) another connection
      of the same uid and app code.

      """
          + GateOptions.USAGE_LINES
          + """

      Runs until Ctrl-C (logs out first; exit status 130, as for any interrupted program), a KICK
      from the server (its code on stderr, exit 1) or a lost connection (exit 1).
      """;

  /** PULL page size: the protocol's maximum, so a long absence takes few round trips. */
  static final int PAGE = 200;

  /** How long Ctrl-C waits for the LOGOUT answer before closing anyway. */
  static final long LOGOUT_WAIT_MS = 2_000;

  private final Vertx vertx;
  private final GateOptions gate;
  private final PrintStream err;
  private final MessageFeed feed;
  private final Promise<Integer> ended = Promise.promise();
  private volatile CourierConnection connection;
  private volatile boolean stopping;

  ListenCommand(Vertx vertx, GateOptions gate, PrintStream out, PrintStream err) {
    this.vertx = vertx;
    this.gate = gate;
    this.err = err;
    this.feed = new MessageFeed(out::println);
  }

  /**
   * Listens until the end; the result is the exit code. A request cut off by Ctrl-C is not
   * reported: the user asked for the end.
   */
  int run() {
    Thread logout = new Thread(this::stop, "courier-cli-logout");
    Runtime.getRuntime().addShutdownHook(logout);
    CourierClient client = GateLogin.client(vertx, gate);
    try {
      listen(client);
      return ended.future().await();
    } catch (CommandFailure e) {
      if (!stopping) {
        err.println(CourierCli.PREFIX + e.getMessage());
      }
      return Outcome.FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(logout);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and logs out
      }
      client.close();
    }
  }

  private void listen(CourierClient client) throws CommandFailure {
    // Assigned before LOGIN: a PUSH may follow the LOGIN response at once and must be acked on it.
    connection = GateLogin.connect(client, gate);
    connection.serverFrameHandler(this::onServerFrame);
    err.println(CourierCli.PREFIX + GateLogin.login(connection, gate));
    int offline = pullOffline();
    feed.pullDone();
    // Watched only now: a close during login or PULL already fails the command with its reason.
    connection
        .closed()
        .onComplete(
            closed -> {
              if (!stopping) {
                end(Outcome.FAILED, "connection closed by the server");
              }
            });
    err.println(
        CourierCli.PREFIX
            + offline
            + " offline message"
            + (offline == 1 ? "" : "s")
            + "; waiting for messages (Ctrl-C to stop)");
  }

  /** Pages through the offline store, prints what is new, then removes what was read. */
  private int pullOffline() throws CommandFailure {
    int printed = 0;
    String after = null;
    boolean more = true;
    while (more) {
      JsonObject request = new JsonObject().put("limit", PAGE);
      if (after != null) {
        request.put("after", after);
      }
      JsonObject page = answered(Command.PULL, request);
      JsonArray msgs = page.getJsonArray("msgs", new JsonArray());
      printed += feed.pulled(msgs);
      if (!msgs.isEmpty()) {
        after = msgs.getJsonObject(msgs.size() - 1).getString("msgid");
      }
      more = page.getBoolean("more", false) && !msgs.isEmpty();
    }
    if (after != null) {
      answered(Command.OFFLINE_ACK, new JsonObject().put("upto", after));
    }
    return printed;
  }

  private JsonObject answered(Command command, JsonObject body) throws CommandFailure {
    JsonObject answer = CommandFailure.await(connection.request(command, body), command.name());
    if (answer.getInteger("code", -1) != 0) {
      throw new CommandFailure(command.name() + " failed: " + Lines.code(answer));
    }
    return answer;
  }

  private void onServerFrame(ServerFrame frame) {
    switch (frame.command()) {
      case PUSH -> {
        if (frame.needsAck()) {
          connection.ackPush(frame);
        }
        feed.pushed(frame.body());
      }
      case KICK -> end(Outcome.FAILED, Lines.kick(frame.body()));
      default -> err.println(CourierCli.PREFIX + Lines.error(frame.body()));
    }
  }

  /** The first end wins: a KICK is followed by the close it announces, which adds nothing. */
  private void end(int exitCode, String reason) {
    if (ended.tryComplete(exitCode)) {
      err.println(CourierCli.PREFIX + reason);
    }
  }

  /**
   * Ctrl-C: the protocol's orderly end, LOGOUT (with a bounded wait), then close. {@link #run()}
   * returns only after this, so its cleanup cannot close the connection under the LOGOUT.
   */
  private void stop() {
    stopping = true;
    CourierConnection current = connection;
    if (current != null && !ended.future().isComplete()) {
      try {
        current
            .request(Command.LOGOUT, new JsonObject())
            .await(LOGOUT_WAIT_MS, TimeUnit.MILLISECONDS);
        err.println(CourierCli.PREFIX + "logged out");
      } catch (Exception e) {
        err.println(CourierCli.PREFIX + "no answer to LOGOUT: " + e.getMessage());
      }
      current.close();
    }
    ended.tryComplete(Outcome.OK);
  }
}
