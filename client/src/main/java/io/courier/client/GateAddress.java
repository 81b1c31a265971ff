package io.courier.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Where a gate listens for clients. */
public record GateAddress(String host, int port) {

  public GateAddress {
    if (host == null || host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a gate address: " + host + ":" + port);
    }
  }

  /**
   * The gates of a {@code GET /v1/gates} answer, in its order ({@code {gates: [{host, port, …}]}};
   * cluster.md section 7); throws {@link IllegalArgumentException} when it is not such a list.
   */
  public static List<GateAddress> fromGateList(JsonObject answer) {
    Object listed = answer.getValue("gates");
    if (!(listed instanceof JsonArray gates)) {
      throw new IllegalArgumentException("no gates array in " + answer.encode());
    }
    List<GateAddress> addresses = new ArrayList<>(gates.size());
    for (Object entry : gates) {
      if (!(entry instanceof JsonObject gate)
          || !(gate.getValue("host") instanceof String host)
          || !(gate.getValue("port") instanceof Integer port)) {
        throw new IllegalArgumentException("a gate without host and port: " + entry);
      }
      addresses.add(new GateAddress(host, port));
    }
    return addresses;
  }
}
