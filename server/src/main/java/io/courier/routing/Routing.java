package io.courier.routing;

import io.courier.cluster.MsgIdGenerator;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.CourierException;
import io.courier.contract.Receipts;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Kind;
import io.courier.message.Logid;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.richtext.RichText;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three flows: C2C (client to client), S2C (business to client) and C2S (client to business).
 *
 * <p>Durability comes first: a qos-1 message is in the store before anyone is told code 0, and it
 * leaves the offline store only when the receiver acknowledges it. Pushing is an optimisation on
 * top: a message that could not be pushed is simply found by the receiver's next PULL.
 */
public final class Routing {
  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

  /** Most receivers of one {@code courier.s2c.multi} request. */
  public static final int MAX_MULTI_RECEIVERS = 1000;

  /** The S2C status of a qos-0 message whose receiver was not reachable: it is not stored. */
  public static final String STATUS_DROPPED = "dropped";

  private final CourierConfig config;
  private final MessageStore store;
  private final Delivery delivery;
  private final MsgIdGenerator ids;
  private final Tracker tracker;
  private final BusinessConsumers consumers;
  private final LongSupplier clock;

  public Routing(
      CourierConfig config,
      MessageStore store,
      Delivery delivery,
      MsgIdGenerator ids,
      Tracker tracker,
      BusinessConsumers consumers,
      LongSupplier clock) {
    this.config = config;
    this.store = store;
    this.delivery = delivery;
    this.ids = ids;
    this.tracker = tracker;
    this.consumers = consumers;
    this.clock = clock;
  }

  /**
   * C2C: sanitize, store durably (deduplicated by cmid), answer, push to the receiver if online.
   */
  public Future<JsonObject> c2c(SessionRequest request) {
    SessionRef sender = request.session();
    JsonObject body = request.body();
    Message message;
    String cmid;
    try {
      String toUid = MessageFields.uid(body, "to_uid");
      int toAppcode = MessageFields.toAppcode(body, config.apps());
      cmid = MessageFields.cmid(body);
      int msgtype = MessageFields.msgtype(body);
      String content = RichText.sanitize(MessageFields.content(body, config.maxContentBytes()));
      message =
          new Message(
              ids.next(),
              Kind.C2C,
              sender.uid(),
              sender.appcode(),
              toUid,
              toAppcode,
              msgtype,
              content,
              clock.getAsLong(),
              Logid.keepOrCreate(body.getValue("logid")));
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    return store
        .acceptC2c(message, cmid)
        .transform(
            stored -> {
              if (stored.failed()) {
                TraceLog.warn(
                    LOG,
                    message.logid(),
                    "c2c {} from {} not stored: {}",
                    message.msgid(),
                    sender.uid(),
                    stored.cause().getMessage());
                return notStored(message.logid(), stored.cause());
              }
              MessageStore.Accepted accepted = stored.result();
              JsonObject answer =
                  Reply.ok()
                      .put("msgid", Long.toString(accepted.msgid()))
                      .put("senddate", accepted.senddate());
              if (accepted.duplicate()) {
                TraceLog.debug(
                    LOG,
                    message.logid(),
                    "c2c resend of cmid {} from {}/{} is msgid {}",
                    cmid,
                    sender.uid(),
                    sender.appcode(),
                    accepted.msgid());
                return Future.succeededFuture(answer);
              }
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "c2c {} accepted from {}/{} to {}/{}",
                  message.msgid(),
                  sender.uid(),
                  sender.appcode(),
                  message.toUid(),
                  message.toAppcode());
              tracker.accepted(message, 1);
              Delivery.Dispatch dispatch = delivery.deliver(List.of(message), 1);
              dispatch
                  .pushed()
                  .onSuccess(pushed -> reportStoredIfNotPushed(message, pushed.get(0)));
              return dispatch.sent().map(answer);
            });
  }

  /**
   * C2S: hand the message to a business consumer; 0 once one accepted it, 503 without consumer, 504
   * on timeout.
   */
  public Future<JsonObject> c2s(SessionRequest request) {
    SessionRef sender = request.session();
    JsonObject body = request.body();
    JsonObject handed;
    long msgid;
    String logid;
    int msgtype;
    try {
      msgtype = MessageFields.msgtype(body);
      String content = MessageFields.content(body, config.maxContentBytes());
      msgid = ids.next();
      logid = Logid.keepOrCreate(body.getValue("logid"));
      handed =
          new JsonObject()
              .put("msgid", Long.toString(msgid))
              .put("from_uid", sender.uid())
              .put("from_appcode", sender.appcode())
              .put("msgtype", msgtype)
              .put("content", content)
              .put("senddate", clock.getAsLong())
              .put("logid", logid);
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    String address = Addresses.c2s(sender.appcode(), msgtype);
    return consumers
        .request(address, handed)
        .transform(
            reply -> {
              Code code;
              if (reply.failed()) {
                code = Reply.codeOf(reply.cause());
              } else {
                code = consumerCode(reply.result());
              }
              TraceLog.debug(
                  LOG,
                  logid,
                  "c2s {} from {}/{} to {}: {}",
                  msgid,
                  sender.uid(),
                  sender.appcode(),
                  address,
                  code.value());
              tracker.handed(logid, msgid, address, code);
              JsonObject answer =
                  code == Code.OK ? Reply.ok() : Reply.error(code, reasonOf(code, address));
              return Future.succeededFuture(answer.put("msgid", Long.toString(msgid)));
            });
  }

  /** {@code courier.s2c}: one receiver. */
  public Future<JsonObject> s2c(JsonObject body) {
    String toUid;
    try {
      toUid = MessageFields.uid(body, "to_uid");
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    return s2c(
        body,
        List.of(toUid),
        (messages, statuses) ->
            Reply.ok()
                .put("msgid", Long.toString(messages.get(0).msgid()))
                .put("status", statuses[0]));
  }

  /** {@code courier.s2c.multi}: up to {@value #MAX_MULTI_RECEIVERS} receivers, one message each. */
  public Future<JsonObject> s2cMulti(JsonObject body) {
    Object value = body.getValue("to_uids");
    if (!(value instanceof JsonArray)
        || ((JsonArray) value).isEmpty()
        || ((JsonArray) value).size() > MAX_MULTI_RECEIVERS) {
      return Future.succeededFuture(
          Reply.error(
              Code.BAD_REQUEST, "to_uids must be an array of 1-" + MAX_MULTI_RECEIVERS + " uids"));
    }
    Set<String> toUids = new LinkedHashSet<>();
    for (Object uid : (JsonArray) value) {
      if (!(uid instanceof String) || !io.courier.protocol.Fields.isUid((String) uid)) {
        return Future.succeededFuture(
            Reply.error(
                Code.BAD_REQUEST, "to_uids must hold uids: 1-64 chars of [A-Za-z0-9_.:@-]"));
      }
      toUids.add((String) uid);
    }
    return s2c(
        body,
        new ArrayList<>(toUids),
        (messages, statuses) -> {
          JsonArray results = new JsonArray();
          for (int i = 0; i < messages.size(); i++) {
            results.add(
                new JsonObject()
                    .put("to_uid", messages.get(i).toUid())
                    .put("msgid", Long.toString(messages.get(i).msgid()))
                    .put("status", statuses[i]));
          }
          return Reply.ok().put("results", results);
        });
  }

  /** The code-0 answer to an S2C request: its messages and the status of each. */
  private interface S2cAnswer {
    JsonObject of(List<Message> messages, String[] statuses);
  }

  private Future<JsonObject> s2c(JsonObject body, List<String> toUids, S2cAnswer answer) {
    List<Message> messages = new ArrayList<>(toUids.size());
    int qos;
    try {
      int toAppcode = MessageFields.toAppcode(body, config.apps());
      int msgtype = MessageFields.msgtype(body);
      String content = MessageFields.content(body, config.maxContentBytes());
      qos = MessageFields.qos(body);
      String fromUid = body.getValue("from_uid") == null ? "" : MessageFields.uid(body, "from_uid");
      String logid = Logid.keepOrCreate(body.getValue("logid"));
      long senddate = clock.getAsLong();
      for (String toUid : toUids) {
        messages.add(
            new Message(
                ids.next(),
                Kind.S2C,
                fromUid,
                0,
                toUid,
                toAppcode,
                msgtype,
                content,
                senddate,
                logid));
      }
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    Future<Void> durable = qos == 1 ? store.storeOffline(messages) : Future.succeededFuture();
    return durable.transform(
        stored -> {
          if (stored.failed()) {
            TraceLog.warn(
                LOG,
                messages.get(0).logid(),
                "s2c to {} receivers not stored: {}",
                messages.size(),
                stored.cause().getMessage());
            return notStored(messages.get(0).logid(), stored.cause());
          }
          messages.forEach(message -> tracker.accepted(message, qos));
          return delivery
              .deliver(messages, qos)
              .pushed()
              .map(
                  pushed -> {
                    String[] statuses = new String[messages.size()];
                    for (int i = 0; i < messages.size(); i++) {
                      Message message = messages.get(i);
                      String status;
                      if (pushed.get(i)) {
                        status = Receipts.PUSHED;
                      } else if (qos == 1) {
                        status = Receipts.STORED;
                        tracker.stored(message);
                      } else {
                        status = STATUS_DROPPED;
                      }
                      TraceLog.debug(
                          LOG,
                          message.logid(),
                          "s2c {} qos {} to {}/{}: {}",
                          message.msgid(),
                          qos,
                          message.toUid(),
                          message.toAppcode(),
                          status);
                      statuses[i] = status;
                    }
                    return answer.of(messages, statuses);
                  });
        });
  }

  /** The store refused or failed a write: traced, and answered 503. */
  private Future<JsonObject> notStored(String logid, Throwable cause) {
    tracker.failed(logid, Code.UNAVAILABLE, "not stored: " + cause.getMessage());
    return Future.succeededFuture(Offline.storeUnavailable());
  }

  private void reportStoredIfNotPushed(Message message, boolean pushed) {
    if (!pushed) {
      TraceLog.debug(
          LOG,
          message.logid(),
          "{} {} waits in the offline store of {}/{}",
          message.kind().wire(),
          message.msgid(),
          message.toUid(),
          message.toAppcode());
      tracker.stored(message);
    }
  }

  /**
   * A consumer that replied has accepted the message, unless it replied a JSON object whose {@code
   * code} is a non-zero integer: that code goes to the client (500 if it is not a protocol code).
   */
  private static Code consumerCode(Object reply) {
    if (reply instanceof JsonObject) {
      Object code = ((JsonObject) reply).getValue("code");
      if ((code instanceof Integer || code instanceof Long) && ((Number) code).longValue() != 0) {
        return Code.fromValue(((Number) code).intValue());
      }
    }
    return Code.OK;
  }

  private static String reasonOf(Code code, String address) {
    switch (code) {
      case UNAVAILABLE:
        return "no consumer on " + address;
      case TIMEOUT:
        return "no consumer answered on " + address + " in time";
      default:
        return code.reason();
    }
  }
}
