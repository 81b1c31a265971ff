package io.courier.routing;

import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.message.Message;
import io.courier.ops.TraceLog;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.ConversationPage;
import io.courier.protocol.body.MessageFields;
import io.courier.protocol.body.MessagePage;
import io.courier.protocol.body.OfflineAckAnswer;
import io.courier.protocol.body.Result;
import io.courier.store.Group;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline role: PULL, OFFLINE_ACK and HISTORY for sessions, and the removal of acknowledged
 * pushes.
 *
 * <p>Paging is by msgid (keyset), never by offset, so pages stay complete and free of duplicates
 * while messages arrive and leave. A {@code limit} above {@value #MAX_LIMIT} is served as {@value
 * #MAX_LIMIT}. A PULL also returns the messages no PULL has given yet whose msgid is not above
 * {@code after}: msgids are taken before their messages commit, so one can become visible after the
 * client's cursor passed it ({@link MessageStore#pull}). The {@code pulled} receipt of a message is
 * published by the PULL that gave it first, once, however often and however concurrently the client
 * pulls.
 *
 * <p>OFFLINE_ACK takes {@code upto}, removing what PULL gave up to that msgid, or {@code msgids},
 * removing exactly those (at most {@value #MAX_ACK_MSGIDS}), whether PULL gave them or not.
 */
public final class Offline {
  private static final Logger LOG = LoggerFactory.getLogger(Offline.class);
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** Conversations per CONVERSATIONS page by default, and at most. */
  public static final int DEFAULT_CONVERSATIONS = 20;

  public static final int MAX_CONVERSATIONS = 100;

  /** Most msgids in one OFFLINE_ACK: one page of the largest size. */
  public static final int MAX_ACK_MSGIDS = MAX_LIMIT;

  private static final String UPTO = "upto";
  private static final String MSGIDS = "msgids";
  private static final String MSGIDS_ITEM = "each item of msgids";

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
                pulled -> {
                  List<Message> firstGiven = new ArrayList<>(pulled.firstGiven().size());
                  for (Message message : pulled.messages()) {
                    // a copy for another terminal is no step of the message's own delivery
                    if (message.addressed() && pulled.firstGiven().contains(message.msgid())) {
                      firstGiven.add(message);
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
                  }
                  tracker.reachedByPull(session.uid(), session.appcode(), firstGiven);
                  return pulled;
                })
            .compose(pulled -> stated(session.uid(), pulled.messages(), pulled.more())));
  }

  public Future<JsonObject> offlineAck(SessionRequest request) {
    SessionRef session = request.session();
    JsonObject body = request.body();
    Future<Integer> removed;
    try {
      boolean upto = body.getValue(UPTO) != null;
      boolean listed = body.getValue(MSGIDS) != null;
      if (upto == listed) {
        throw new MalformedBodyException(
            upto ? "give upto or msgids, not both" : "upto or msgids is required");
      }
      removed =
          upto
              ? store.removeOfflineUpTo(
                  session.uid(), session.appcode(), MessageFields.msgid(body, UPTO))
              : store.removeOfflineListed(session.uid(), session.appcode(), msgids(body));
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return answer(removed.map(count -> new OfflineAckAnswer(count).toJson()));
  }

  public Future<JsonObject> history(SessionRequest request) {
    SessionRef session = request.session();
    if (request.body().getValue("group_id") != null) {
      return groupHistory(session, request.body());
    }
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
    return answer(
        store
            .history(session.uid(), peer, before, limit)
            .compose(page -> stated(session.uid(), page.messages(), page.more())));
  }

  /**
   * HISTORY of a group (docs/groups.md): the messages above the member's join point, each with its
   * state for the member; 403 for a user who is not a member, 404 when there is no such group.
   */
  private Future<JsonObject> groupHistory(SessionRef session, JsonObject body) {
    String groupId;
    long before;
    int limit;
    try {
      groupId = Fields.uid(body, "group_id");
      before = MessageFields.msgid(body, "before", Long.MAX_VALUE);
      limit = limit(body);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return Groups.ofMember(store, session.uid(), groupId)
        .compose(
            group -> {
              Group.Member member = group.member(session.uid());
              return store
                  .groupHistory(groupId, member.joined(), before, limit)
                  .map(
                      page -> {
                        List<Message> stated = new ArrayList<>(page.messages().size());
                        for (Message message : page.messages()) {
                          stated.add(States.ofGroup(session.uid(), member.read(), message));
                        }
                        return new MessagePage(stated, page.more()).toJson();
                      });
            })
        .otherwise(Groups::refusal);
  }

  /**
   * CONVERSATIONS: a page of the session user's conversations by last activity, keyset paged by
   * {@code after}, the {@code last_msgid} of the previous page's last entry; each last message with
   * its {@code state}.
   */
  public Future<JsonObject> conversations(SessionRequest request) {
    String owner = request.session().uid();
    long after;
    int limit;
    try {
      after = MessageFields.msgid(request.body(), "after", Long.MAX_VALUE);
      limit = limit(request.body(), DEFAULT_CONVERSATIONS, MAX_CONVERSATIONS);
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
    return answer(
        store
            .conversations(owner, after, limit)
            .compose(
                page -> {
                  List<Message> lasts = new ArrayList<>();
                  Map<String, Future<Group>> groups = new HashMap<>();
                  for (MessageStore.Conversation conversation : page.conversations()) {
                    if (conversation.groupId() != null) {
                      groups.put(conversation.groupId(), store.group(conversation.groupId()));
                    } else if (conversation.last() != null) {
                      lasts.add(conversation.last());
                    }
                  }
                  Set<String> peers = States.peers(owner, lasts);
                  Future<Map<String, MessageStore.Positions>> positions =
                      peers.isEmpty()
                          ? Future.succeededFuture(Map.of())
                          : store.positions(owner, peers);
                  List<Future<?>> reads = new ArrayList<>(groups.values());
                  reads.add(positions);
                  return Future.all(reads)
                      .map(
                          done -> {
                            List<ConversationPage.Entry> entries = new ArrayList<>();
                            for (MessageStore.Conversation conversation : page.conversations()) {
                              entries.add(
                                  entry(
                                      owner,
                                      conversation,
                                      positions.result(),
                                      groups.get(conversation.groupId())));
                            }
                            return new ConversationPage(entries, page.more()).toJson();
                          });
                }));
  }

  /**
   * One entry of a CONVERSATIONS page: a group's carries its title and its last message's state
   * from the owner's read position in the group.
   */
  private static ConversationPage.Entry entry(
      String owner,
      MessageStore.Conversation conversation,
      Map<String, MessageStore.Positions> positions,
      Future<Group> group) {
    Message last = conversation.last();
    if (conversation.groupId() == null) {
      return new ConversationPage.Entry(
          conversation.peer(),
          conversation.lastMsgid(),
          conversation.readUpto(),
          conversation.unread(),
          last == null ? null : States.apply(owner, List.of(last), positions).get(0));
    }
    return new ConversationPage.Entry(
        null,
        conversation.lastMsgid(),
        conversation.readUpto(),
        conversation.unread(),
        last == null ? null : States.ofGroup(owner, conversation.readUpto(), last),
        conversation.groupId(),
        group.result().title());
  }

  /**
   * The page answer, each C2C message with its {@code state} for {@code owner}: one read of the
   * positions of the page's conversations.
   */
  private Future<JsonObject> stated(String owner, List<Message> messages, boolean more) {
    Set<String> peers = States.peers(owner, messages);
    if (peers.isEmpty()) {
      return Future.succeededFuture(new MessagePage(messages, more).toJson());
    }
    return store
        .positions(owner, peers)
        .map(positions -> new MessagePage(States.apply(owner, messages, positions), more).toJson());
  }

  /** A client acknowledged the qos-1 PUSH of {@code message}: it leaves the offline store. */
  public Future<Boolean> acked(Message message) {
    return store
        .removeOffline(message.inboxUid(), message.inboxAppcode(), message.msgid())
        .onSuccess(
            removed -> {
              TraceLog.debug(
                  LOG,
                  message.logid(),
                  "{} {} acked by {}/{}, removed from the offline store",
                  message.kind().wire(),
                  message.msgid(),
                  message.inboxUid(),
                  message.inboxAppcode());
              if (message.addressed()) {
                tracker.ackRecorded(message);
              }
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
    return limit(body, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /** The {@code limit} of a page: {@code fallback} when absent, at most {@code max}. */
  private static int limit(JsonObject body, int fallback, int max) throws MalformedBodyException {
    if (body.getValue("limit") == null) {
      return fallback;
    }
    Object value = body.getValue("limit");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
      throw new MalformedBodyException("limit must be a positive integer");
    }
    return (int) Math.min(max, ((Number) value).longValue());
  }

  /**
   * The {@code msgids} of an OFFLINE_ACK: 1 to {@value #MAX_ACK_MSGIDS} msgids, each read as any
   * msgid field is.
   */
  private static List<Long> msgids(JsonObject body) throws MalformedBodyException {
    if (!(body.getValue(MSGIDS) instanceof JsonArray items)
        || items.isEmpty()
        || items.size() > MAX_ACK_MSGIDS) {
      throw new MalformedBodyException(
          "msgids must be an array of 1-" + MAX_ACK_MSGIDS + " msgid strings");
    }
    List<Long> msgids = new ArrayList<>(items.size());
    for (Object item : items) {
      if (item == null) {
        throw new MalformedBodyException(MSGIDS_ITEM + " must be a msgid: a decimal string");
      }
      // the item's own field, so that a refusal names it
      msgids.add(MessageFields.msgid(new JsonObject().put(MSGIDS_ITEM, item), MSGIDS_ITEM));
    }
    return msgids;
  }

  private static Future<JsonObject> answer(Future<JsonObject> result) {
    return result.otherwise(e -> storeUnavailable());
  }

  /** The answer to a request the message store could not serve. */
  static JsonObject storeUnavailable() {
    return Result.error(Code.UNAVAILABLE, "message store unavailable").toJson();
  }
}
