package io.courier.routing;

import io.courier.cluster.MsgIdGenerator;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.CourierException;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Kind;
import io.courier.message.Logid;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.C2cAnswer;
import io.courier.protocol.body.C2sAnswer;
import io.courier.protocol.body.C2sMessage;
import io.courier.protocol.body.C2sRequest;
import io.courier.protocol.body.MessageFields;
import io.courier.protocol.body.MessageLimits;
import io.courier.protocol.body.Result;
import io.courier.protocol.body.S2cAnswer;
import io.courier.protocol.body.S2cMultiAnswer;
import io.courier.protocol.body.S2cRequest;
import io.courier.protocol.body.Step;
import io.courier.push.Notifier;
import io.courier.richtext.RichText;
import io.courier.store.C2sOutbox;
import io.courier.store.C2sOutboxFullException;
import io.courier.store.GroupRefusedException;
import io.courier.store.MessageStore;
import io.courier.store.MsgidConflictException;
import io.courier.store.OfflineQuotaException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message flows: C2C (client to client), C2G (client to group), S2C (business to client) and
 * C2S (client to business).
 *
 * <p>Durability comes first: a qos-1 message is in the store before anyone is told code 0, and it
 * leaves the offline store only when the receiver acknowledges it. Pushing is an optimisation on
 * top: a message that could not be pushed is simply found by the receiver's next PULL, and is
 * handed to the {@link Notifier}, which may wake the receiver's app (docs/push.md): this node sends
 * the notification of a message its routing stored, so a cluster sends it once.
 */
public final class Routing {
  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

  /**
   * The {@code msg} of a 429 for a receiver at its offline cap (docs/protocol.md, C2C): the sender
   * may resend later, once the receiver has pulled.
   */
  public static final String RECEIVER_FULL = "receiver has too many offline messages waiting";

  /** The {@code msg} of a 429 for a qos-1 C2S whose sender has the outbox cap waiting. */
  public static final String C2S_OUTBOX_FULL = "too many C2S messages waiting for a consumer";

  private final MessageLimits limits;
  private final MessageStore store;
  private final Delivery delivery;
  private final MsgIdGenerator ids;
  private final Tracker tracker;
  private final BusinessConsumers consumers;
  private final LongSupplier clock;
  private final Notifier notifier;
  private final C2sOutboxLink c2sOutbox;
  private final Terminals terminals;

  public Routing(
      CourierConfig config,
      MessageStore store,
      Delivery delivery,
      MsgIdGenerator ids,
      Tracker tracker,
      BusinessConsumers consumers,
      Notifier notifier,
      C2sOutboxLink c2sOutbox,
      LongSupplier clock) {
    this.notifier = notifier;
    this.c2sOutbox = c2sOutbox;
    this.limits = new MessageLimits(config.maxContentBytes(), config.apps()::contains);
    this.store = store;
    this.delivery = delivery;
    this.ids = ids;
    this.tracker = tracker;
    this.consumers = consumers;
    this.clock = clock;
    this.terminals = new Terminals(config.systems(), store);
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
      int toAppcode = MessageFields.toAppcode(body, limits);
      cmid = MessageFields.cmid(body);
      int msgtype = MessageFields.msgtype(body);
      String content = RichText.sanitize(MessageFields.content(body, limits));
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
              Logid.keepOrCreate(MessageFields.givenLogid(body)));
    } catch (MalformedBodyException e) {
      return refused(e);
    } catch (CourierException e) {
      return noMsgid(e);
    }
    return store
        .acceptC2c(message, cmid, terminals.candidates(message))
        .transform(
            stored -> {
              if (stored.failed()) {
                return notAccepted(message, stored.cause());
              }
              MessageStore.Accepted accepted = stored.result();
              if (accepted.duplicate()) {
                return resent(message, cmid, accepted);
              }
              List<Message> copies = accepted.copies();
              JsonObject answer = new C2cAnswer(accepted.msgid(), accepted.senddate()).toJson();
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "c2c {} accepted from {}/{} to {}/{}, {} copies for other terminals",
                  message.msgid(),
                  message.fromUid(),
                  message.fromAppcode(),
                  message.toUid(),
                  message.toAppcode(),
                  copies.size());
              tracker.accepted(message, 1);
              List<Message> all = new ArrayList<>(1 + copies.size());
              all.add(message.withState(States.DELIVERED));
              for (Message copy : copies) {
                all.add(copy.withState(copy.sync() ? States.SENT : States.DELIVERED));
              }
              Delivery.Dispatch dispatch = delivery.deliver(all, 1);
              dispatch
                  .pushed()
                  .onSuccess(pushed -> reportStoredIfNotPushed(message, pushed.get(0)));
              return dispatch.sent().map(answer);
            });
  }

  /**
   * C2G (docs/groups.md): sanitize, store once with the offline rows of every member's terminals
   * (deduplicated by cmid, the membership read inside the write), answer, push to the terminals
   * online. A member's copy that could not be pushed waits in its offline store, and wakes the
   * member's app like a C2C.
   */
  public Future<JsonObject> c2g(SessionRequest request) {
    SessionRef sender = request.session();
    JsonObject body = request.body();
    Message message;
    String cmid;
    try {
      String groupId = Fields.uid(body, "group_id");
      cmid = MessageFields.cmid(body);
      int msgtype = MessageFields.msgtype(body);
      String content = RichText.sanitize(MessageFields.content(body, limits));
      message =
          new Message(
                  ids.next(),
                  Kind.C2G,
                  sender.uid(),
                  sender.appcode(),
                  "",
                  0,
                  msgtype,
                  content,
                  clock.getAsLong(),
                  Logid.keepOrCreate(MessageFields.givenLogid(body)))
              .inGroup(groupId);
    } catch (MalformedBodyException e) {
      return refused(e);
    } catch (CourierException e) {
      return noMsgid(e);
    }
    return store
        .acceptC2g(message, cmid, terminals::groupCopies)
        .transform(
            stored -> {
              if (stored.failed()) {
                return notAccepted(message, stored.cause());
              }
              MessageStore.Accepted accepted = stored.result();
              if (accepted.duplicate()) {
                return resent(message, cmid, accepted);
              }
              JsonObject answer = new C2cAnswer(accepted.msgid(), accepted.senddate()).toJson();
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "c2g {} accepted from {}/{} to group {}, {} offline rows",
                  message.msgid(),
                  message.fromUid(),
                  message.fromAppcode(),
                  message.groupId(),
                  accepted.copies().size());
              tracker.accepted(message, 1);
              List<Message> rows = new ArrayList<>(accepted.copies().size());
              for (Message copy : accepted.copies()) {
                rows.add(copy.withState(copy.sync() ? States.SENT : States.DELIVERED));
              }
              Delivery.Dispatch dispatch = delivery.deliver(rows, 1);
              dispatch
                  .pushed()
                  .onSuccess(
                      pushed -> {
                        for (int i = 0; i < rows.size(); i++) {
                          if (rows.get(i).addressed()) {
                            reportStoredIfNotPushed(rows.get(i), pushed.get(i));
                          }
                        }
                      });
              return dispatch.sent().map(answer);
            });
  }

  /**
   * The answer to a C2C or C2G the store did not accept, traced: 429 for a receiver at its offline
   * cap, the group's refusal (403, 404, 410), else 503 (or 500 for a msgid conflict).
   */
  private Future<JsonObject> notAccepted(Message message, Throwable cause) {
    if (cause instanceof OfflineQuotaException full) {
      return overQuota(message.logid(), full);
    }
    if (cause instanceof GroupRefusedException refusal) {
      TraceLog.debug(LOG, message.logid(), "c2g refused: {}", refusal.getMessage());
      tracker.failed(message.logid(), refusal.code(), refusal.getMessage());
      return Future.succeededFuture(Result.error(refusal.code(), refusal.getMessage()).toJson());
    }
    TraceLog.warn(
        LOG,
        message.logid(),
        "{} {} from {} not stored: {}",
        message.kind().wire(),
        message.msgid(),
        message.fromUid(),
        cause.getMessage());
    return notStored(message.logid(), cause);
  }

  /** The answer to a resend of an accepted cmid: the first message's msgid and senddate. */
  private Future<JsonObject> resent(Message message, String cmid, MessageStore.Accepted first) {
    TraceLog.debug(
        LOG,
        message.logid(),
        "{} resend of cmid {} from {}/{} is msgid {}",
        message.kind().wire(),
        cmid,
        message.fromUid(),
        message.fromAppcode(),
        first.msgid());
    return Future.succeededFuture(new C2cAnswer(first.msgid(), first.senddate()).toJson());
  }

  /**
   * C2S: hand the message to a business consumer; 0 once one accepted it, 503 without consumer, 504
   * on timeout. With a cmid, a resend carries the first msgid; with qos 1, a message no consumer
   * accepted is stored in the C2S outbox, answered 0 {@code stored}, and handed over later in order
   * ({@link C2sOutboxDrainer}).
   */
  public Future<JsonObject> c2s(SessionRequest request) {
    SessionRef sender = request.session();
    C2sRequest c2s;
    C2sMessage handed;
    try {
      c2s = C2sRequest.fromJson(request.body(), limits);
      handed =
          new C2sMessage(
              ids.next(),
              sender.uid(),
              sender.appcode(),
              c2s.msgtype(),
              c2s.content(),
              clock.getAsLong(),
              Logid.keepOrCreate(c2s.logid()));
    } catch (MalformedBodyException e) {
      return refused(e);
    } catch (CourierException e) {
      return noMsgid(e);
    }
    String address = Addresses.c2s(sender.appcode(), handed.msgtype());
    if (!c2s.tracked()) {
      // today's answer, byte for byte: {code, msg?, msgid}
      return hand(handed, address).map(code -> plainC2sAnswer(handed, code, address));
    }
    Future<C2sOutbox.Remembered> first =
        c2s.cmid() == null
            ? Future.succeededFuture(
                new C2sOutbox.Remembered(handed.msgid(), handed.senddate(), false))
            : c2sOutbox
                .outbox()
                .remember(
                    sender.uid(), sender.appcode(), c2s.cmid(), handed.msgid(), handed.senddate());
    return first.transform(
        remembered -> {
          if (remembered.failed()) {
            return c2sNotStored(handed, remembered.cause());
          }
          C2sMessage message =
              remembered.result().duplicate()
                  ? new C2sMessage(
                      remembered.result().msgid(),
                      handed.fromUid(),
                      handed.fromAppcode(),
                      handed.msgtype(),
                      handed.content(),
                      remembered.result().senddate(),
                      handed.logid())
                  : handed;
          if (c2s.qos() != 1) {
            return hand(message, address).map(code -> c2sAnswer(message, code, address));
          }
          // behind messages of the same queue that wait already, whatever a consumer would say
          return c2sOutbox
              .outbox()
              .hasWaiting(message.fromUid(), message.fromAppcode(), message.msgtype())
              .compose(
                  waiting ->
                      waiting
                          ? storeC2s(message)
                          : hand(message, address)
                              .compose(
                                  code ->
                                      noConsumerYet(code)
                                          ? storeC2s(message)
                                          : Future.succeededFuture(
                                              c2sAnswer(message, code, address))))
              .recover(failure -> c2sNotStored(message, failure));
        });
  }

  /** Hands {@code message} to a consumer of {@code address}; the result is the client's code. */
  private Future<Code> hand(C2sMessage message, String address) {
    return consumers
        .request(address, message.toJson())
        .transform(
            reply -> {
              Code code =
                  reply.failed() ? Reply.codeOf(reply.cause()) : consumerCode(reply.result());
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "c2s {} from {}/{} to {}: {}",
                  message.msgid(),
                  message.fromUid(),
                  message.fromAppcode(),
                  address,
                  code.value());
              tracker.handed(message.logid(), message.msgid(), address, code);
              return Future.succeededFuture(code);
            });
  }

  private static JsonObject plainC2sAnswer(C2sMessage message, Code code, String address) {
    Result result = code == Code.OK ? Result.ok() : Result.error(code, reasonOf(code, address));
    return new C2sAnswer(result, message.msgid()).toJson();
  }

  /** The answer to a C2S with cmid or qos: with code 0, its status ({@code handed}). */
  private static JsonObject c2sAnswer(C2sMessage message, Code code, String address) {
    return code == Code.OK
        ? new C2sAnswer(Result.ok(), message.msgid(), Step.HANDED).toJson()
        : plainC2sAnswer(message, code, address);
  }

  /** Appends a qos-1 C2S to its queue (a resend of a waiting one is not appended twice). */
  private Future<JsonObject> storeC2s(C2sMessage message) {
    return c2sOutbox
        .outbox()
        .store(message, c2sOutbox.maxPerSender())
        .map(
            appended -> {
              if (appended) {
                c2sOutbox.meter().stored();
                TraceLog.debug(
                    LOG,
                    message.logid(),
                    "c2s {} from {}/{} waits in the C2S outbox",
                    message.msgid(),
                    message.fromUid(),
                    message.fromAppcode());
              }
              c2sOutbox.wakeDrainer().run();
              return new C2sAnswer(Result.ok(), message.msgid(), Step.STORED).toJson();
            });
  }

  /**
   * The outbox refused or failed: 429 when the sender has the cap waiting, else 503 (the client
   * resends, with its cmid); nothing was stored.
   */
  private Future<JsonObject> c2sNotStored(C2sMessage message, Throwable cause) {
    if (cause instanceof C2sOutboxFullException) {
      c2sOutbox.meter().full();
      TraceLog.debug(LOG, message.logid(), "c2s not stored: {}", cause.getMessage());
      tracker.failed(message.logid(), Code.RATE_LIMITED, "not stored: " + cause.getMessage());
      return Future.succeededFuture(
          new C2sAnswer(Result.error(Code.RATE_LIMITED, C2S_OUTBOX_FULL), message.msgid())
              .toJson());
    }
    TraceLog.warn(
        LOG,
        message.logid(),
        "c2s {} from {}/{} not stored: {}",
        message.msgid(),
        message.fromUid(),
        message.fromAppcode(),
        cause.getMessage());
    tracker.failed(message.logid(), Code.UNAVAILABLE, "not stored: " + cause.getMessage());
    return Future.succeededFuture(Offline.storeUnavailable());
  }

  /**
   * Whether a code says that no consumer took the message yet, so that a qos-1 C2S waits for one:
   * none registered (503) or none answered in time (504; it may have taken it, and gets it again
   * with the same msgid).
   */
  static boolean noConsumerYet(Code code) {
    return code == Code.UNAVAILABLE || code == Code.TIMEOUT;
  }

  /** {@code courier.s2c}: one receiver. */
  public Future<JsonObject> s2c(JsonObject body) {
    S2cRequest request;
    try {
      request = S2cRequest.fromJson(body, limits);
    } catch (MalformedBodyException e) {
      return refused(e);
    }
    return s2c(
        request,
        (messages, statuses) -> new S2cAnswer(messages.get(0).msgid(), statuses.get(0)).toJson());
  }

  /**
   * {@code courier.s2c.multi}: up to {@value S2cRequest#MAX_RECEIVERS} receivers, one message each.
   */
  public Future<JsonObject> s2cMulti(JsonObject body) {
    S2cRequest request;
    try {
      request = S2cRequest.fromMultiJson(body, limits);
    } catch (MalformedBodyException e) {
      return refused(e);
    }
    return s2c(
        request,
        (messages, statuses) -> {
          List<S2cMultiAnswer.Entry> results = new ArrayList<>(messages.size());
          for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            results.add(
                new S2cMultiAnswer.Entry(message.toUid(), message.msgid(), statuses.get(i)));
          }
          return new S2cMultiAnswer(results).toJson();
        });
  }

  /** The code-0 answer to an S2C request: its messages and the status of each. */
  private interface S2cAnswering {
    JsonObject of(List<Message> messages, List<Step> statuses);
  }

  private Future<JsonObject> s2c(S2cRequest request, S2cAnswering answer) {
    int qos = request.qos();
    String fromUid = request.fromUid() == null ? "" : request.fromUid();
    String logid = Logid.keepOrCreate(request.logid());
    long senddate = clock.getAsLong();
    List<Message> messages = new ArrayList<>(request.toUids().size());
    try {
      for (String toUid : request.toUids()) {
        messages.add(
            new Message(
                ids.next(),
                Kind.S2C,
                fromUid,
                0,
                toUid,
                request.toAppcode(),
                request.msgtype(),
                request.content(),
                senddate,
                logid));
      }
    } catch (CourierException e) {
      return noMsgid(e);
    }
    if (qos != 1) {
      // what the qos-1 path does once the messages are stored, without a transformation of an
      // already-completed future; a failure becomes the future's, as in a transformation
      try {
        return deliverS2c(messages, qos, answer);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return store
        .storeOffline(messages)
        .transform(
            stored -> {
              if (stored.failed() && stored.cause() instanceof OfflineQuotaException full) {
                // a business sending to many receivers needs to know which one is full
                return overQuota(logid, full).map(refusal -> refusal.put("to_uid", full.uid()));
              }
              if (stored.failed()) {
                TraceLog.warn(
                    LOG,
                    logid,
                    "s2c to {} receivers not stored: {}",
                    messages.size(),
                    stored.cause().getMessage());
                return notStored(logid, stored.cause());
              }
              return deliverS2c(messages, qos, answer);
            });
  }

  /** Pushes accepted S2C messages; the answer gives each one's status. */
  private Future<JsonObject> deliverS2c(List<Message> messages, int qos, S2cAnswering answer) {
    messages.forEach(message -> tracker.accepted(message, qos));
    return delivery
        .deliver(messages, qos)
        .pushed()
        .map(
            pushed -> {
              List<Step> statuses = new ArrayList<>(messages.size());
              for (int i = 0; i < messages.size(); i++) {
                Message message = messages.get(i);
                Step status;
                if (pushed.get(i)) {
                  status = Step.PUSHED;
                } else if (qos == 1) {
                  status = Step.STORED;
                  tracker.stored(message);
                  notifier.stored(message);
                } else {
                  status = Step.DROPPED;
                }
                TraceLog.debug(
                    LOG,
                    message.logid(),
                    "s2c {} qos {} to {}/{}: {}",
                    message.msgid(),
                    qos,
                    message.toUid(),
                    message.toAppcode(),
                    status.wire());
                statuses.add(status);
              }
              return answer.of(messages, statuses);
            });
  }

  /** The answer to a request refused for its body: 400, 403 or 413. */
  private static Future<JsonObject> refused(MalformedBodyException refusal) {
    return Future.succeededFuture(Result.of(refusal).toJson());
  }

  /**
   * The msgid generator refused (this node lost its node-id lease, cluster.md section 3): nothing
   * was stored, the sender may retry, on this node once it holds a lease again or on another.
   */
  private static Future<JsonObject> noMsgid(CourierException refusal) {
    return Future.succeededFuture(Result.error(refusal.code(), refusal.getMessage()).toJson());
  }

  /**
   * The store refused or failed a write: traced, and answered 503; a msgid conflict (another
   * message under the same key, storage.md 3.3) is no outage and is answered 500, without naming
   * the other message.
   */
  private Future<JsonObject> notStored(String logid, Throwable cause) {
    if (cause instanceof MsgidConflictException) {
      tracker.failed(logid, Code.INTERNAL, "not stored: " + cause.getMessage());
      return Future.succeededFuture(
          Result.error(Code.INTERNAL, "msgid conflict: the message was not stored").toJson());
    }
    tracker.failed(logid, Code.UNAVAILABLE, "not stored: " + cause.getMessage());
    return Future.succeededFuture(Offline.storeUnavailable());
  }

  /**
   * The receiver has its store's cap of offline messages waiting: 429, and nothing stored. Logged
   * at debug only: a sender can repeat it as fast as it is allowed to send.
   */
  private Future<JsonObject> overQuota(String logid, OfflineQuotaException refusal) {
    TraceLog.debug(LOG, logid, "not stored: {}", refusal.getMessage());
    tracker.failed(logid, Code.RATE_LIMITED, "not stored: " + refusal.getMessage());
    return Future.succeededFuture(Result.error(Code.RATE_LIMITED, RECEIVER_FULL).toJson());
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
      notifier.stored(message);
    }
  }

  /**
   * A consumer's reply as the client's code (docs/event-bus.md, C2S): no body or no {@code code}
   * accepts, a code is passed on (500 when it is not a protocol code), any body other than a JSON
   * object is 500.
   */
  static Code consumerCode(Object reply) {
    if (reply == null) {
      return Code.OK;
    }
    if (!(reply instanceof JsonObject)) {
      return Code.INTERNAL;
    }
    Object code = ((JsonObject) reply).getValue("code");
    if ((code instanceof Integer || code instanceof Long) && ((Number) code).longValue() != 0) {
      return Code.fromValue(((Number) code).intValue());
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
