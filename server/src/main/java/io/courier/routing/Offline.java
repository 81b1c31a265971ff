package io.courier.routing;

import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.MessageFields;
import io.courier.protocol.body.MessagePage;
import io.courier.protocol.body.OfflineAckAnswer;
import io.courier.protocol.body.Result;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
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
      after = MessageFields.msgid(request.body(), "after", 0);
      limit = limit(request.body());
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
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
                  return pageAnswer(page);
                }));
  }

  public Future<JsonObject> offlineAck(SessionRequest request) {
    SessionRef session = request.session();
    long upto;
    try {
      upto = MessageFields.msgid(request.body(), "upto");
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return answer(
        store
            .removeOfflineUpTo(session.uid(), session.appcode(), upto)
            .map(removed -> new OfflineAckAnswer(removed).toJson()));
  }

  public Future<JsonObject> history(SessionRequest request) {
    SessionRef session = request.session();
    String peer;
    long before;
    int limit;
    try {
      peer = MessageFields.uid(request.body(), "peer_uid");
      before = MessageFields.msgid(request.body(), "before", Long.MAX_VALUE);
      limit = limit(request.body());
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return answer(store.history(session.uid(), peer, before, limit).map(Offline::pageAnswer));
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

  private static int limit(JsonObject body) throws MalformedBodyException {
    if (body.getValue("limit") == null) {
      return DEFAULT_LIMIT;
    }
    Object value = body.getValue("limit");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
      throw new MalformedBodyException("limit must be a positive integer");
    }
    return (int) Math.min(MAX_LIMIT, ((Number) value).longValue());
  }

  private static JsonObject pageAnswer(MessageStore.Page page) {
    return new MessagePage(page.messages(), page.more()).toJson();
  }

  private static Future<JsonObject> answer(Future<JsonObject> result) {
    return result.otherwise(e -> storeUnavailable());
  }

  /** The answer to a request the message store could not serve. */
  static JsonObject storeUnavailable() {
    return Result.error(Code.UNAVAILABLE, "message store unavailable").toJson();
  }
}
