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
 * Pushes messages to their receivers' live sessions: looks up presence, groups the receivers per node and
 * sends one batch per node.
 *
 * <p>A message whose receiver is offline, whose node does not answer, or whose connection could not take
 * it is reported as not pushed; the caller decides what that means (qos 1: it waits in the offline store).
 */
public final class Delivery {
  private final PresenceStore presence;
  private final PushTransport transport;
  private final Tracker tracker;

  public Delivery(PresenceStore presence, PushTransport transport, Tracker tracker) {
    this.presence = presence;
    this.transport = transport;
    this.tracker = tracker;
  }

  /**
   * The result of {@link #deliver}: {@code sent} completes once every batch has been handed to the event
   * bus (so a later delivery to the same session cannot overtake it); {@code pushed} says per message
   * whether it was written to its receiver's connection.
   */
  public record Dispatch(Future<Void> sent, Future<List<Boolean>> pushed) {
  }

  public Dispatch deliver(List<Message> messages, int qos) {
    Map<String, Future<List<SessionRef>>> lookups = new HashMap<>();
    for (Message message : messages) {
      lookups.computeIfAbsent(message.toUid(), presence::sessions);
    }
    Future<Map<String, List<Integer>>> grouped = Future.join(new ArrayList<>(lookups.values())).transform(done -> {
      Map<String, List<Integer>> byNode = new LinkedHashMap<>();
      for (int i = 0; i < messages.size(); i++) {
        Message message = messages.get(i);
        Future<List<SessionRef>> sessions = lookups.get(message.toUid());
        if (sessions.succeeded()) {
          for (SessionRef session : sessions.result()) {
            if (session.appcode() == message.toAppcode()) {
              byNode.computeIfAbsent(session.node(), node -> new ArrayList<>()).add(i);
            }
          }
        }
      }
      return Future.succeededFuture(byNode);
    });
    Future<List<Boolean>> pushed = grouped.compose(byNode -> {
      Boolean[] results = new Boolean[messages.size()];
      Arrays.fill(results, Boolean.FALSE);
      List<Future<Void>> batches = new ArrayList<>();
      byNode.forEach((node, indexes) -> {
        List<PushItem> items = new ArrayList<>(indexes.size());
        for (int index : indexes) {
          Message message = messages.get(index);
          tracker.routed(message, node);
          items.add(new PushItem(sessionOf(lookups.get(message.toUid()).result(), message.toAppcode()), qos, message));
        }
        batches.add(transport.push(node, items).transform(written -> {
          if (written.succeeded()) {
            for (int k = 0; k < indexes.size(); k++) {
              results[indexes.get(k)] = written.result().get(k);
            }
          }
          return Future.succeededFuture();
        }));
      });
      return Future.join(batches).transform(done -> Future.succeededFuture(List.of(results)));
    });
    // pushed's compose was registered on grouped first, so the batches are on the event bus before sent completes
    return new Dispatch(grouped.mapEmpty(), pushed.otherwise(Collections.nCopies(messages.size(), false)));
  }

  private static String sessionOf(List<SessionRef> sessions, int appcode) {
    for (SessionRef session : sessions) {
      if (session.appcode() == appcode) {
        return session.session();
      }
    }
    throw new IllegalStateException("no session of appcode " + appcode);
  }
}
