package io.courier.contract;

import io.courier.message.Message;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Publishes delivery receipts on {@link Addresses#RECEIPTS}: {@code {msgid, to_uid, to_appcode,
 * status, ts}} with status {@code pushed} (written to the receiver's connection), {@code acked}
 * (the receiver acknowledged the PUSH and it left the offline store), {@code stored} (waiting in
 * the offline store: receiver offline, or pushes unacknowledged) and {@code pulled} (returned by
 * the receiver's PULL).
 */
public final class Receipts {
  public static final String PUSHED = "pushed";
  public static final String ACKED = "acked";
  public static final String STORED = "stored";
  public static final String PULLED = "pulled";

  private final EventBus eventBus;

  public Receipts(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  public void publish(Message message, String status) {
    publish(message.msgid(), message.toUid(), message.toAppcode(), status);
  }

  public void publish(long msgid, String toUid, int toAppcode, String status) {
    eventBus.publish(
        Addresses.RECEIPTS,
        new JsonObject()
            .put("msgid", Long.toString(msgid))
            .put("to_uid", toUid)
            .put("to_appcode", toAppcode)
            .put("status", status)
            .put("ts", System.currentTimeMillis()));
  }
}
