package io.courier.routing;

import io.courier.cluster.MsgIdGenerator;
import io.courier.contract.CourierException;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.GroupInfo;
import io.courier.protocol.body.GroupRequest;
import io.courier.protocol.body.MessageLimits;
import io.courier.protocol.body.Result;
import io.courier.store.Group;
import io.courier.store.GroupRefusedException;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business API of groups (docs/groups.md): {@code courier.group.create}, {@code
 * courier.group.members}, {@code courier.group.close} and {@code courier.group.info}, each answered
 * with the group as it is after the request, or a refusal with its code.
 *
 * <p>A member's join point is a msgid taken when the request arrives: the member sees the messages
 * above it. The maximum size is checked by the store, in the write that would pass it, so two
 * concurrent adds cannot both pass it.
 */
public final class Groups {
  private static final Logger LOG = LoggerFactory.getLogger(Groups.class);

  private final MessageStore store;
  private final MsgIdGenerator ids;
  private final MessageLimits limits;
  private final int maxMembers;

  public Groups(MessageStore store, MsgIdGenerator ids, MessageLimits limits, int maxMembers) {
    this.store = store;
    this.ids = ids;
    this.limits = limits;
    this.maxMembers = maxMembers;
  }

  public Future<JsonObject> create(JsonObject body) {
    return joining(
        () -> GroupRequest.create(body, limits),
        (request, joined) ->
            store.createGroup(
                request.groupId(), request.title(), invitees(request), joined, maxMembers));
  }

  public Future<JsonObject> members(JsonObject body) {
    return joining(
        () -> GroupRequest.members(body, limits),
        (request, joined) ->
            store.changeMembers(
                request.groupId(), invitees(request), request.remove(), joined, maxMembers));
  }

  /** A request read from its body; a bad body is refused with its code. */
  private interface Reader {
    GroupRequest read() throws MalformedBodyException;
  }

  /** A request that adds members, given the join point of those it adds. */
  private interface Joining {
    Future<Group> apply(GroupRequest request, long joined);
  }

  /** Reads a request that may add members, takes their join point and applies it. */
  private Future<JsonObject> joining(Reader reader, Joining change) {
    GroupRequest request;
    long joined;
    try {
      request = reader.read();
      joined = ids.next();
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    } catch (CourierException e) {
      return Future.succeededFuture(Result.error(e.code(), e.getMessage()).toJson());
    }
    return answer(change.apply(request, joined));
  }

  public Future<JsonObject> close(JsonObject body) {
    try {
      return answer(store.closeGroup(GroupRequest.target(body).groupId()));
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
  }

  public Future<JsonObject> info(JsonObject body) {
    try {
      return answer(store.group(GroupRequest.target(body).groupId()));
    } catch (MalformedBodyException e) {
      return Future.succeededFuture(Result.of(e).toJson());
    }
  }

  /**
   * The member {@code uid} of the group {@code groupId} and the group, for a member's HISTORY and
   * READ; fails with {@link GroupRefusedException} 404 (no such group) or 403 (not a member).
   */
  static Future<Group> ofMember(MessageStore store, String uid, String groupId) {
    return store
        .group(groupId)
        .compose(
            group ->
                group.member(uid) == null
                    ? Future.failedFuture(GroupRefusedException.notMember(uid, groupId))
                    : Future.succeededFuture(group));
  }

  /**
   * The answer to a request the store refused for the group's state ({@code {code, msg}}), or could
   * not serve (503).
   */
  static JsonObject refusal(Throwable failure) {
    if (failure instanceof GroupRefusedException refused) {
      return Result.error(refused.code(), refused.getMessage()).toJson();
    }
    return Offline.storeUnavailable();
  }

  private static Future<JsonObject> answer(Future<Group> result) {
    return result
        .map(group -> toInfo(group).toJson())
        .otherwise(
            failure -> {
              if (!(failure instanceof GroupRefusedException)) {
                LOG.warn("group request not served: {}", failure.getMessage());
              }
              return refusal(failure);
            });
  }

  static GroupInfo toInfo(Group group) {
    return new GroupInfo(
        group.groupId(),
        group.title(),
        group.closed(),
        group.lastMsgid(),
        group.members().stream()
            .map(
                member ->
                    new GroupInfo.Member(
                        member.uid(), member.appcode(), member.joined(), member.read()))
            .toList());
  }

  private static List<Group.Invitee> invitees(GroupRequest request) {
    return request.add().stream()
        .map(invitee -> new Group.Invitee(invitee.uid(), invitee.appcode()))
        .toList();
  }
}
