package io.courier.contract;

import io.courier.protocol.Code;
import io.vertx.core.json.JsonObject;

/**
 * Bodies sent to {@link Addresses#gate(String)}: an operation on one session of that node.
 * {@code kick}: send KICK {@code {code, msg}} to the session and close it.
 */
public final class GateCommand {
  public static final String OP = "op";
  public static final String OP_KICK = "kick";

  private GateCommand() {
  }

  public static JsonObject kick(String session, Code code) {
    return new JsonObject()
      .put(OP, OP_KICK)
      .put("session", session)
      .put("code", code.value())
      .put("msg", code.reason());
  }
}
