package io.courier.routing;

import io.courier.contract.CourierException;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline role: PULL, OFFLINE_ACK and HISTORY for sessions, and the removal of acknowledged
 * pushes.
 *
 * <p>Paging is by msgid (keyset), never by offset, so pages stay complete and free of duplicates
 * while messages arrive and leave. A {@code limit} above {@value #MAX_LIMIT} is served as {@value
 * #MAX_LIMIT}.
 */
public final class Offline {
  private static final Logger LOG = LoggerFactory.getLogger(Offline.class);
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  private final MessageStore store;
  private final Tracker tracker;

  public Offline(MessageStore store, Tracker tracker) {
    this.store = store;
    this.tracker = tracker;
  }

  public Future<JsonObject> pull(SessionRequest request) {
    SessionRef session = request.session();
    long after;
    int limit;
    try {
      after = Msgids.optional(request.body(), "after", 0);
      limit = limit(request.body());
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    return answer(
        store
            .pull(session.uid(), session.appcode(), after, limit)
            .map(
                page -> {
                  for (Message message : page.messages()) {
                    TraceLog.debug(
                        LOG,
                        message.logid(),
                        "{} {} pulled by {}/{}",
                        message.kind().wire(),
                        message.msgid(),
                        session.uid(),
                        session.appcode());
                    tracker.pulled(message);
                  }
                  return pageReply(page);
                }));
  }

  public Future<JsonObject> offlineAck(SessionRequest request) {
    SessionRef session = request.session();
    long upto;
    try {
      upto = Msgids.required(request.body(), "upto");
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    return answer(
        store
            .removeOfflineUpTo(session.uid(), session.appcode(), upto)
            .map(removed -> Reply.ok().put("removed", removed)));
  }

  public Future<JsonObject> history(SessionRequest request) {
    SessionRef session = request.session();
    String peer;
    long before;
    int limit;
    try {
      peer = MessageFields.uid(request.body(), "peer_uid");
      before = Msgids.optional(request.body(), "before", Long.MAX_VALUE);
      limit = limit(request.body());
    } catch (CourierException e) {
      return Future.succeededFuture(CourierException.replyFor(e));
    }
    return answer(store.history(session.uid(), peer, before, limit).map(Offline::pageReply));
  }

  /** A client acknowledged the qos-1 PUSH of {@code message}: it leaves the offline store. */
  public Future<Boolean> acked(Message message) {
    return store
        .removeOffline(message.toUid(), message.toAppcode(), message.msgid())
        .onSuccess(
            removed -> {
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "{} {} acked by {}/{}, removed from the offline store",
                  message.kind().wire(),
                  message.msgid(),
                  message.toUid(),
                  message.toAppcode());
              tracker.ackRecorded(message);
            })
        .onFailure(
            e ->
                TraceLog.warn(
                    LOG,
                    message.logid(),
                    "ack of {} not recorded, it stays offline: {}",
                    message.msgid(),
                    e.getMessage()));
  }

  private static int limit(JsonObject body) {
    if (body.getValue("limit") == null) {
      return DEFAULT_LIMIT;
    }
    Object value = body.getValue("limit");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
      throw MessageFields.badRequest("limit must be a positive integer");
    }
    return (int) Math.min(MAX_LIMIT, ((Number) value).longValue());
  }

  private static JsonObject pageReply(MessageStore.Page page) {
    JsonArray msgs = new JsonArray();
    page.messages().forEach(message -> msgs.add(message.toPushBody()));
    return Reply.ok().put("msgs", msgs).put("more", page.more());
  }

  private static Future<JsonObject> answer(Future<JsonObject> result) {
    return result.otherwise(e -> storeUnavailable());
  }

  /** The answer to a request the message store could not serve. */
  static JsonObject storeUnavailable() {
    return Reply.error(Code.UNAVAILABLE, "message store unavailable");
  }
}
