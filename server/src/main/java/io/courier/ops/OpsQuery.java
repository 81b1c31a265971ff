package io.courier.ops;

import io.vertx.core.json.JsonObject;

/**
 * The queries a node answers on its operations address ({@code Addresses.ops(node)}), so that any
 * node's HTTP interface can aggregate the cluster.
 */
public sealed interface OpsQuery {

  JsonObject toJson();

  /**
   * {@code {op: "arrival", appcode?, msgtype?, window}}: this node's outcome counts over the last
   * {@code window} seconds, for one appcode and msgtype label ({@link DeliveryLabels}: a number or
   * {@code other}; null: all), answered {@code {outcome: count}}.
   */
  record Arrival(String appcode, String msgtype, int windowSeconds) implements OpsQuery {
    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("op", "arrival");
      if (appcode != null) {
        json.put("appcode", appcode);
      }
      if (msgtype != null) {
        json.put("msgtype", msgtype);
      }
      return json.put("window", windowSeconds);
    }
  }

  /** {@code {op: "trace", logid}}: this node's steps of that message, answered {@code {steps}}. */
  record Trace(String logid) implements OpsQuery {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("op", "trace").put("logid", logid);
    }
  }

  /** Reads a query written by {@link #toJson()} on a Courier node. */
  public static OpsQuery fromJson(JsonObject json) {
    String op = json.getString("op");
    switch (op) {
      case "arrival":
        return new Arrival(
            json.getString("appcode"), json.getString("msgtype"), json.getInteger("window"));
      case "trace":
        return new Trace(json.getString("logid"));
      default:
        throw new IllegalArgumentException("unknown operations query " + op);
    }
  }
}
