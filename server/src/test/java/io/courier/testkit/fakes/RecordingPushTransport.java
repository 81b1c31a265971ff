package io.courier.testkit.fakes;

import io.courier.contract.GateCommand.PushItem;
import io.courier.message.Message;
import io.courier.routing.PushTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PushTransport} that records every batch handed to it and answers as the gates of a
 * cluster would: by default every push is written; a gate can refuse one session's pushes (its
 * connection could not take them), a node can be unreachable (the request times out), and a node's
 * answers can be held back until the test releases them.
 */
public final class RecordingPushTransport implements PushTransport {
  /** One call of {@link #push}: the items sent to {@code node} in one request. */
  public record Batch(String node, List<PushItem> items) {
    public List<String> sessions() {
      return items.stream().map(PushItem::session).toList();
    }

    public List<Message> messages() {
      return items.stream().map(PushItem::message).toList();
    }
  }

  private final List<Batch> batches = new ArrayList<>();
  private final Set<String> refusedSessions = new HashSet<>();
  private final Set<String> unreachableNodes = new HashSet<>();
  private final Set<String> heldNodes = new HashSet<>();
  private final Map<String, List<Runnable>> heldAnswers = new HashMap<>();

  /** The gate answers "not written" for pushes to {@code session}. */
  public synchronized void refuse(String session) {
    refusedSessions.add(session);
  }

  /** Requests to {@code node} fail as the event bus fails them when no answer comes in time. */
  public synchronized void unreachable(String node) {
    unreachableNodes.add(node);
  }

  /** The gate of {@code node} takes its batches but answers only on {@link #release}. */
  public synchronized void hold(String node) {
    heldNodes.add(node);
  }

  /** Sends the held answers of {@code node} and stops holding. */
  public void release(String node) {
    List<Runnable> answers;
    synchronized (this) {
      heldNodes.remove(node);
      answers = heldAnswers.getOrDefault(node, List.of());
      heldAnswers.remove(node);
    }
    answers.forEach(Runnable::run);
  }

  /** Every batch handed over so far, in order. */
  public synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  /** The batches handed to {@code node}. */
  public synchronized List<Batch> batchesTo(String node) {
    return batches.stream().filter(batch -> batch.node().equals(node)).toList();
  }

  /** Every item pushed to {@code session}, whatever its gate answered. */
  public synchronized List<PushItem> itemsTo(String session) {
    return batches.stream()
        .flatMap(batch -> batch.items().stream())
        .filter(item -> item.session().equals(session))
        .toList();
  }

  @Override
  public synchronized Future<List<Boolean>> push(String node, List<PushItem> items) {
    batches.add(new Batch(node, List.copyOf(items)));
    if (unreachableNodes.contains(node)) {
      return Future.failedFuture(
          new ReplyException(ReplyFailure.TIMEOUT, "timed out waiting for the gate of " + node));
    }
    List<Boolean> written =
        items.stream().map(item -> !refusedSessions.contains(item.session())).toList();
    if (!heldNodes.contains(node)) {
      return Future.succeededFuture(written);
    }
    Promise<List<Boolean>> answer = Promise.promise();
    heldAnswers.computeIfAbsent(node, n -> new ArrayList<>()).add(() -> answer.complete(written));
    return answer.future();
  }
}
