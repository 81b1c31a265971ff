package io.courier.routing;

import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.SessionRef;
import io.courier.message.Message;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes messages to their receivers' live sessions: looks up presence, groups the receivers per
 * node and sends one batch per node.
 *
 * <p>A message goes to the terminal of its offline row ({@link Message#inboxUid()}, {@link
 * Message#inboxAppcode()}): the addressed receiver, or the terminal of one of its copies.
 *
 * <p>A message whose receiver is offline, whose node does not answer, or whose connection could not
 * take it is reported as not pushed; the caller decides what that means (qos 1: it waits in the
 * offline store).
 */
public final class Delivery {
  private static final Future<Void> HANDED = Future.succeededFuture();
  private static final Future<List<Boolean>> PUSHED = Future.succeededFuture(List.of(true));
  private static final Future<List<Boolean>> NOT_PUSHED = Future.succeededFuture(List.of(false));

  private final PresenceStore presence;
  private final PushTransport transport;
  private final Tracker tracker;

  public Delivery(PresenceStore presence, PushTransport transport, Tracker tracker) {
    this.presence = presence;
    this.transport = transport;
    this.tracker = tracker;
  }

  /**
   * The result of {@link #deliver}: {@code sent} completes once every batch has been handed to the
   * event bus (so a later delivery to the same session cannot overtake it); {@code pushed} says per
   * message whether it was written to its receiver's connection.
   */
  public record Dispatch(Future<Void> sent, Future<List<Boolean>> pushed) {}

  public Dispatch deliver(List<Message> messages, int qos) {
    if (messages.size() == 1) {
      Message message = messages.get(0);
      Future<List<SessionRef>> sessions = presence.sessions(message.inboxUid());
      return sessions.isComplete()
          ? deliverNow(message, qos, sessions)
          : deliver(messages, qos, Map.of(message.inboxUid(), sessions));
    }
    Map<String, Future<List<SessionRef>>> lookups = new HashMap<>();
    for (Message message : messages) {
      lookups.computeIfAbsent(message.inboxUid(), presence::sessions);
    }
    return deliver(messages, qos, lookups);
  }

  /**
   * One message whose receiver's sessions are known already (the embedded presence answers at
   * once): what {@link #deliver(List, int, Map)} does for it, without the maps, lists and joined
   * futures that grouping many messages per node needs. A receiver has at most one session per
   * appcode, hence one target; should presence list more, the general path decides.
   */
  private Dispatch deliverNow(Message message, int qos, Future<List<SessionRef>> sessions) {
    SessionRef target = null;
    if (sessions.succeeded()) {
      for (SessionRef session : sessions.result()) {
        if (session.appcode() == message.inboxAppcode()) {
          if (target != null) {
            return deliver(List.of(message), qos, Map.of(message.inboxUid(), sessions));
          }
          target = session;
        }
      }
    }
    if (target == null) {
      return new Dispatch(HANDED, NOT_PUSHED);
    }
    Future<List<Boolean>> written;
    try {
      tracker.routed(message, target.node());
      written =
          transport.push(target.node(), List.of(new PushItem(target.session(), qos, message)));
    } catch (RuntimeException e) {
      return new Dispatch(HANDED, NOT_PUSHED);
    }
    return new Dispatch(
        HANDED,
        written.transform(done -> done.succeeded() && done.result().get(0) ? PUSHED : NOT_PUSHED));
  }

  private Dispatch deliver(
      List<Message> messages, int qos, Map<String, Future<List<SessionRef>>> lookups) {
    Future<Map<String, List<Target>>> grouped =
        Future.join(new ArrayList<>(lookups.values()))
            .transform(
                done -> {
                  Map<String, List<Target>> byNode = new LinkedHashMap<>();
                  for (int i = 0; i < messages.size(); i++) {
                    Message message = messages.get(i);
                    Future<List<SessionRef>> sessions = lookups.get(message.inboxUid());
                    if (sessions.succeeded()) {
                      for (SessionRef session : sessions.result()) {
                        if (session.appcode() == message.inboxAppcode()) {
                          byNode
                              .computeIfAbsent(session.node(), node -> new ArrayList<>())
                              .add(new Target(i, session.session()));
                        }
                      }
                    }
                  }
                  return Future.succeededFuture(byNode);
                });
    Future<List<Boolean>> pushed =
        grouped.compose(
            byNode -> {
              Boolean[] results = new Boolean[messages.size()];
              Arrays.fill(results, Boolean.FALSE);
              List<Future<Void>> batches = new ArrayList<>();
              byNode.forEach(
                  (node, targets) -> {
                    List<PushItem> items = new ArrayList<>(targets.size());
                    for (Target target : targets) {
                      Message message = messages.get(target.index());
                      tracker.routed(message, node);
                      items.add(new PushItem(target.session(), qos, message));
                    }
                    batches.add(
                        transport
                            .push(node, items)
                            .transform(
                                written -> {
                                  if (written.succeeded()) {
                                    for (int k = 0; k < targets.size(); k++) {
                                      // a receiver listed with several sessions is pushed
                                      // when any of them took it
                                      results[targets.get(k).index()] |= written.result().get(k);
                                    }
                                  }
                                  return Future.succeededFuture();
                                }));
                  });
              return Future.join(batches)
                  .transform(done -> Future.succeededFuture(List.of(results)));
            });
    // pushed's compose was registered on grouped first, so the batches are on the event bus before
    // sent completes
    return new Dispatch(
        grouped.mapEmpty(), pushed.otherwise(Collections.nCopies(messages.size(), false)));
  }

  /** The message at {@code index} of a delivery goes to {@code session}. */
  private record Target(int index, String session) {}
}
