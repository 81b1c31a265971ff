package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * A delivery receipt published on {@code courier.receipts} (event-bus.md 5): {@code {msgid, to_uid,
 * to_appcode, status, ts}}.
 *
 * @param status one of {@link Step#RECEIPT_STATUSES}
 * @param ts when the receipt was published, ms since the epoch
 */
public record Receipt(long msgid, String toUid, int toAppcode, Step status, long ts) {

  public Receipt {
    if (status == null || !Step.RECEIPT_STATUSES.contains(status)) {
      throw new IllegalArgumentException(status + " is not a receipt status");
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("msgid", Long.toString(msgid))
        .put("to_uid", toUid)
        .put("to_appcode", toAppcode)
        .put("status", status.wire())
        .put("ts", ts);
  }

  public static Receipt fromJson(JsonObject json) throws MalformedBodyException {
    Step status = Step.fromWire(Fields.string(json, "status"));
    if (status == null || !Step.RECEIPT_STATUSES.contains(status)) {
      throw new MalformedBodyException("status must be pushed, acked, stored, pulled or read");
    }
    return new Receipt(
        MessageFields.msgid(json, "msgid"),
        Fields.string(json, "to_uid"),
        Fields.appcode(json, "to_appcode"),
        status,
        Fields.integer(json, "ts"));
  }
}
