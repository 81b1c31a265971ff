package io.courier.contract;

import io.courier.message.Message;
import io.courier.protocol.body.C2sMessage;
import io.courier.protocol.body.Receipt;
import io.courier.protocol.body.Step;
import io.vertx.core.eventbus.EventBus;

/**
 * Publishes delivery {@link Receipt receipts} on {@link Addresses#RECEIPTS}, stamped with the time
 * of publishing. Statuses: {@code pushed} (written to the receiver's connection), {@code acked}
 * (the receiver acknowledged the PUSH and it left the offline store), {@code stored} (waiting in
 * the offline store: receiver offline, or pushes unacknowledged) and {@code pulled} (returned by
 * the receiver's PULL); for a qos-1 C2S, {@code stored} (waiting in the C2S outbox) and {@code
 * handed} (a business consumer took it), naming the sender.
 */
public final class Receipts {
  private final EventBus eventBus;

  public Receipts(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /**
   * Publishes {@code read}: {@code reader} on {@code readerAppcode} read its conversation with
   * {@code peer} up to {@code upto}, so every message of {@code peer} to it up to that msgid. The
   * receipt names the reader as {@code to_uid} (the receiver of the messages read) and the peer as
   * {@code peer_uid}.
   */
  public void publishRead(String reader, int readerAppcode, String peer, long upto) {
    eventBus.publish(
        Addresses.RECEIPTS,
        new Receipt(upto, reader, readerAppcode, Step.READ, System.currentTimeMillis())
            .toJson()
            .put("peer_uid", peer));
  }

  /**
   * Publishes {@code read} of a group (docs/groups.md): {@code reader} read the group {@code
   * groupId} up to {@code upto}; the receipt names the group as {@code group_id}.
   */
  public void publishGroupRead(String reader, int readerAppcode, String groupId, long upto) {
    eventBus.publish(
        Addresses.RECEIPTS,
        new Receipt(upto, reader, readerAppcode, Step.READ, System.currentTimeMillis())
            .toJson()
            .put("group_id", groupId));
  }

  /** Publishes {@code status}, one of {@link Step#RECEIPT_STATUSES}, for {@code message}. */
  public void publish(Message message, Step status) {
    eventBus.publish(
        Addresses.RECEIPTS,
        new Receipt(
                message.msgid(),
                message.toUid(),
                message.toAppcode(),
                status,
                System.currentTimeMillis())
            .toJson());
  }

  /**
   * Publishes {@code status} ({@code stored} or {@code handed}) for a qos-1 C2S {@code message}.
   */
  public void publish(C2sMessage message, Step status) {
    eventBus.publish(
        Addresses.RECEIPTS,
        new Receipt(
                message.msgid(),
                message.fromUid(),
                message.fromAppcode(),
                status,
                System.currentTimeMillis())
            .toJson());
  }
}
