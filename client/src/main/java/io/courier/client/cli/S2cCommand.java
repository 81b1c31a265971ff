package io.courier.client.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;

/** {@code courier-cli s2c}: one {@code courier.s2c} request through the node's TCP bridge. */
final class S2cCommand {
  static final String ADDRESS = "courier.s2c";
  static final String REPLY_ADDRESS = "courier-cli.s2c";

  /**
   * Extra wait on the socket beyond the event bus's own timeout, so the bridge's TIMEOUT error,
   * which says what happened, normally arrives before the socket gives up.
   */
  static final int READ_MARGIN_MS = 2_000;

  private final S2cOptions options;
  private final PrintStream out;
  private final PrintStream err;

  S2cCommand(S2cOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  int run() {
    long timeoutMs = options.timeoutSeconds() * 1000L;
    String where = options.bridgeHost() + ":" + options.bridgePort();
    try (BridgeClient bridge =
        BridgeClient.connect(
            options.bridgeHost(),
            options.bridgePort(),
            (int) timeoutMs + READ_MARGIN_MS,
            options.tls())) {
      JsonObject frame =
          BridgeFrames.send(ADDRESS, REPLY_ADDRESS, body(options), options.secret(), timeoutMs);
      JsonObject reply = bridge.request(frame);
      return CourierCli.report(S2cReplies.outcome(reply, options), out, err);
    } catch (SocketTimeoutException e) {
      err.println(
          CourierCli.PREFIX
              + "no reply from the bridge at "
              + where
              + " within "
              + options.timeoutSeconds()
              + " s; the message may or may not have been accepted");
    } catch (IOException e) {
      err.println(CourierCli.PREFIX + "bridge at " + where + ": " + e.getMessage());
    }
    return Outcome.FAILED;
  }

  /** The {@code courier.s2c} body; {@code qos} and {@code from_uid} only when given. */
  static JsonObject body(S2cOptions options) {
    JsonObject body =
        new JsonObject()
            .put("to_uid", options.toUid())
            .put("to_appcode", options.toAppcode())
            .put("msgtype", options.msgtype())
            .put("content", options.text());
    if (options.qos() != null) {
      body.put("qos", options.qos());
    }
    if (options.fromUid() != null) {
      body.put("from_uid", options.fromUid());
    }
    return body;
  }
}
