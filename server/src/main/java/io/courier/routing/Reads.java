package io.courier.routing;

import io.courier.cluster.MsgIdGenerator;
import io.courier.config.Systems;
import io.courier.contract.CourierException;
import io.courier.contract.Receipts;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Kind;
import io.courier.message.Logid;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.MessageFields;
import io.courier.protocol.body.MessageLimits;
import io.courier.protocol.body.ReadAnswer;
import io.courier.protocol.body.ReadRequest;
import io.courier.protocol.body.Result;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * READ (docs/conversations.md): moves the reader's read position of a conversation, then tells the
 * peer's terminals (a PUSH of kind {@code read}), the reader's other terminals (the same PUSH
 * marked {@code sync}) and businesses ({@code courier.receipts} status {@code read}).
 *
 * @implNote A read receipt is pushed with qos 0: written to the terminals online, never stored. A
 *     terminal that was offline reads the same fact from the {@code state} of HISTORY and PULL
 *     entries, which the store derives from the read position; storing receipts as offline rows was
 *     rejected: one READ would cost a write per terminal of both users, for a fact the position
 *     already keeps. A READ that does not move the position (an older {@code upto}, a repeat) tells
 *     nobody. The position never passes the conversation's newest message in the reader's history:
 *     a READ up to a later msgid marks what exists, not messages yet to come, and a READ of a
 *     conversation the reader does not have (no history row with that peer) marks nothing, so no
 *     user can send receipts to a stranger.
 */
public final class Reads {
  private static final Logger LOG = LoggerFactory.getLogger(Reads.class);

  private final Systems systems;
  private final MessageStore store;
  private final Delivery delivery;
  private final MsgIdGenerator ids;
  private final Receipts receipts;
  private final MessageLimits limits;
  private final LongSupplier clock;

  public Reads(
      Systems systems,
      MessageStore store,
      Delivery delivery,
      MsgIdGenerator ids,
      Receipts receipts,
      MessageLimits limits,
      LongSupplier clock) {
    this.systems = systems;
    this.store = store;
    this.delivery = delivery;
    this.ids = ids;
    this.receipts = receipts;
    this.limits = limits;
    this.clock = clock;
  }

  public Future<JsonObject> read(SessionRequest request) {
    SessionRef reader = request.session();
    ReadRequest read;
    try {
      read = ReadRequest.fromJson(request.body(), limits);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    String logid = Logid.keepOrCreate(MessageFields.givenLogid(request.body()));
    return store
        .history(reader.uid(), read.peerUid(), Long.MAX_VALUE, 1)
        .compose(
            newest -> {
              if (newest.messages().isEmpty()) {
                return Future.succeededFuture(new ReadAnswer(0).toJson());
              }
              long upto = Math.min(read.upto(), newest.messages().get(0).msgid());
              return store
                  .markRead(reader.uid(), read.peerUid(), upto)
                  .map(
                      mark -> {
                        if (mark.advanced()) {
                          tell(reader, read, mark.readUpto(), logid);
                        }
                        return new ReadAnswer(mark.readUpto()).toJson();
                      });
            })
        .otherwise(e -> Offline.storeUnavailable());
  }

  /** Pushes the receipt to both users' terminals and publishes it for businesses. */
  private void tell(SessionRef reader, ReadRequest read, long upto, String logid) {
    receipts.publishRead(reader.uid(), reader.appcode(), read.peerUid(), upto);
    Message receipt;
    try {
      receipt =
          new Message(
              ids.next(),
              Kind.READ,
              reader.uid(),
              reader.appcode(),
              read.peerUid(),
              read.peerAppcode(),
              0,
              Long.toString(upto),
              clock.getAsLong(),
              logid);
    } catch (CourierException e) {
      // the position is stored: terminals find it in the state of their entries
      TraceLog.warn(LOG, logid, "read receipt of {} not pushed: {}", reader.uid(), e.getMessage());
      return;
    }
    delivery.deliver(targets(receipt, reader), 0);
  }

  /** The receipt's copy for every terminal of the peer and every other one of the reader. */
  private List<Message> targets(Message receipt, SessionRef reader) {
    List<Message> targets = new ArrayList<>();
    if (!receipt.toUid().equals(reader.uid())) {
      for (int appcode : systems.of(receipt.toAppcode())) {
        targets.add(receipt.at(receipt.toUid(), appcode));
      }
    }
    for (int appcode : systems.of(reader.appcode())) {
      if (appcode != reader.appcode()) {
        targets.add(receipt.at(reader.uid(), appcode));
      }
    }
    return targets;
  }
}
