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
import io.courier.store.Group;
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
    if (read.groupId() != null) {
      return readGroup(reader, read, logid);
    }
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

  /**
   * READ of a group (docs/groups.md): the member's position, never past the group's last message;
   * when it moves, a receipt to the reader's other terminals and to businesses, not to the other
   * members.
   */
  private Future<JsonObject> readGroup(SessionRef reader, ReadRequest read, String logid) {
    return Groups.ofMember(store, reader.uid(), read.groupId())
        .compose(
            group -> {
              Group.Member member = group.member(reader.uid());
              long upto = Math.min(read.upto(), group.lastMsgid());
              if (upto <= member.read()) {
                return Future.succeededFuture(new ReadAnswer(member.read()).toJson());
              }
              return store
                  .markGroupRead(reader.uid(), read.groupId(), upto)
                  .map(
                      mark -> {
                        if (mark.advanced()) {
                          receipts.publishGroupRead(
                              reader.uid(), reader.appcode(), read.groupId(), mark.readUpto());
                          Message receipt = receipt(reader, "", 0, mark.readUpto(), logid);
                          if (receipt != null) {
                            delivery.deliver(
                                otherTerminals(receipt.inGroup(read.groupId()), reader), 0);
                          }
                        }
                        return new ReadAnswer(mark.readUpto()).toJson();
                      });
            })
        .otherwise(Groups::refusal);
  }

  /** Pushes the receipt to both users' terminals and publishes it for businesses. */
  private void tell(SessionRef reader, ReadRequest read, long upto, String logid) {
    receipts.publishRead(reader.uid(), reader.appcode(), read.peerUid(), upto);
    Message receipt = receipt(reader, read.peerUid(), read.peerAppcode(), upto, logid);
    if (receipt != null) {
      delivery.deliver(targets(receipt, reader), 0);
    }
  }

  /**
   * The read receipt of {@code reader} up to {@code upto}, to {@code (toUid, toAppcode)}; null when
   * no msgid can be taken (the position is stored: terminals find it in the state of their
   * entries).
   */
  private Message receipt(SessionRef reader, String toUid, int toAppcode, long upto, String logid) {
    try {
      return new Message(
          ids.next(),
          Kind.READ,
          reader.uid(),
          reader.appcode(),
          toUid,
          toAppcode,
          0,
          Long.toString(upto),
          clock.getAsLong(),
          logid);
    } catch (CourierException e) {
      TraceLog.warn(LOG, logid, "read receipt of {} not pushed: {}", reader.uid(), e.getMessage());
      return null;
    }
  }

  /** The receipt's copy for every other terminal of the reader ({@code sync}). */
  private List<Message> otherTerminals(Message receipt, SessionRef reader) {
    List<Message> targets = new ArrayList<>();
    for (int appcode : systems.of(reader.appcode())) {
      if (appcode != reader.appcode()) {
        targets.add(receipt.at(reader.uid(), appcode));
      }
    }
    return targets;
  }

  /** The receipt's copy for every terminal of the peer and every other one of the reader. */
  private List<Message> targets(Message receipt, SessionRef reader) {
    List<Message> targets = new ArrayList<>();
    if (!receipt.toUid().equals(reader.uid())) {
      for (int appcode : systems.of(receipt.toAppcode())) {
        targets.add(receipt.at(receipt.toUid(), appcode));
      }
    }
    targets.addAll(otherTerminals(receipt, reader));
    return targets;
  }
}
