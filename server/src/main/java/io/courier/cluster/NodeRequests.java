package io.courier.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Requests to one named member of the cluster (a push batch to the gate of node N) that never wait
 * on a member that is gone: a request to a node that is not a member fails at once, without being
 * sent, and a request in flight fails as soon as its node leaves the cluster.
 *
 * <p>The clustered event bus does neither: a message for a node whose connection is lost or cannot
 * be opened is dropped without failing its request, which then waits for its whole timeout; and
 * until every node has dropped the event-bus registrations of a node that died, it still sends to
 * it.
 *
 * <p>The failures are the event bus's own, so that callers map them like any other ({@code
 * io.courier.contract.Reply}): {@link ReplyFailure#NO_HANDLERS} when the node was not a member
 * (nothing was sent: 503), {@link ReplyFailure#TIMEOUT} when it left with the request in flight
 * (the outcome is unknown: 504).
 *
 * <p>A node that rejoins after it left (a healed partition, a stall that outlasted the failure
 * detector) is on probation until one request to it has been answered: until then each request to
 * it fails with {@link ReplyFailure#TIMEOUT} after {@link #REJOIN_BOUND_MS} instead of waiting its
 * own timeout. Right after such a merge the event bus can lose requests between the two sides
 * without failing them — messages queued on a connection during the cut wait in the kernel's
 * retransmission back-off, and those sent while Hazelcast merges the members get no answer — and
 * the fault suite measured pushes there waiting out their whole 10 s (docs/faults.md, section 9).
 *
 * <p>Not thread-safe: it belongs to the event loop of the verticle that makes the requests, and
 * membership changes are handed to it there ({@link ClusterMembers}); {@code timer} runs its
 * actions there too.
 *
 * @implNote Rejected: (1) a short timeout (2 s) on push batches: a push to a dead node would still
 *     wait it out, and a live gate that is briefly slow would see its pushes counted as not
 *     written. (2) Waiting for Vert.x to drop the dead node's registrations: that takes about half
 *     a second after the node has left, and fails nothing already sent. (3) The same for requests
 *     to an address any node may serve (a gate-only node's requests to logic, C2S to business
 *     consumers): the event bus does not say which node it chose, so the departure of any member
 *     would have to fail every such request in flight, most of them on live nodes.
 */
public final class NodeRequests {
  /**
   * How long a request to a node on probation (rejoined, not answered since) waits for its answer:
   * ample for a gate that is up (its answers take milliseconds), and a fifth of the push timeout
   * that such a request would otherwise wait out.
   */
  public static final long REJOIN_BOUND_MS = 2_000;

  /** Runs an action after a delay, on the requests' event loop; the result cancels it. */
  public interface Timer {
    Runnable schedule(long delayMs, Runnable action);
  }

  private final Set<String> members;
  private final Timer timer;
  private final Map<String, Set<Promise<?>>> inFlight = new HashMap<>();

  /** Nodes seen leaving: one of them that joins again is on probation. */
  private final Set<String> departed = new HashSet<>();

  /** Nodes that rejoined and have answered no request since. */
  private final Set<String> probation = new HashSet<>();

  /**
   * @param members the node ids of the cluster's members now
   * @param timer bounds the requests to a node on probation
   */
  public NodeRequests(Collection<String> members, Timer timer) {
    this.members = new HashSet<>(members);
    this.timer = timer;
  }

  /**
   * The answer of {@code request}, made now if {@code node} is a member; failed as soon as {@code
   * node} leaves before answering.
   */
  public <T> Future<T> send(String node, Supplier<Future<T>> request) {
    if (!members.contains(node)) {
      return Future.failedFuture(
          new ReplyException(ReplyFailure.NO_HANDLERS, "node " + node + " is not in the cluster"));
    }
    Promise<T> answer = Promise.promise();
    Set<Promise<?>> pending = inFlight.computeIfAbsent(node, key -> new HashSet<>());
    pending.add(answer);
    Runnable bound =
        probation.contains(node)
            ? timer.schedule(
                REJOIN_BOUND_MS,
                () ->
                    answer.tryFail(
                        new ReplyException(
                            ReplyFailure.TIMEOUT,
                            "node "
                                + node
                                + " rejoined the cluster and has not answered since within "
                                + REJOIN_BOUND_MS
                                + " ms")))
            : null;
    request
        .get()
        .onComplete(
            done -> {
              if (bound != null) {
                bound.run();
              }
              if (pending.remove(answer) && pending.isEmpty()) {
                inFlight.remove(node, pending);
              }
              if (done.succeeded()) {
                probation.remove(node);
                answer.tryComplete(done.result());
              } else {
                answer.tryFail(done.cause());
              }
            });
    return answer.future();
  }

  /** {@code node} joined the cluster (again, after a partition healed, or for the first time). */
  public void joined(String node) {
    if (members.add(node) && departed.remove(node)) {
      probation.add(node);
    }
  }

  /** {@code node} left the cluster: its requests in flight fail now. */
  public void left(String node) {
    if (members.remove(node)) {
      departed.add(node);
    }
    probation.remove(node);
    Set<Promise<?>> pending = inFlight.remove(node);
    if (pending == null) {
      return;
    }
    List<Promise<?>> failing = new ArrayList<>(pending);
    pending.clear();
    ReplyException gone =
        new ReplyException(
            ReplyFailure.TIMEOUT, "node " + node + " left the cluster before answering");
    failing.forEach(promise -> promise.tryFail(gone));
  }
}
