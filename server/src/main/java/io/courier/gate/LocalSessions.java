package io.courier.gate;

import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of this node's gates by session id, shared by the node's gate verticles (one per
 * event loop) so that a command for a session (kick, push) can be dispatched to the event loop that
 * owns it.
 *
 * <p>A connection is registered when it is accepted, not when its login completes: a kick for a
 * session whose login reply is still in flight must find it.
 */
public final class LocalSessions {
  private static final Future<List<Boolean>> WRITTEN = Future.succeededFuture(List.of(true));
  private static final Future<List<Boolean>> NOT_WRITTEN = Future.succeededFuture(List.of(false));

  private final String node;
  private final AtomicLong counter = new AtomicLong();
  private final Map<String, Connection> bySession = new ConcurrentHashMap<>();
  private final Map<String, SessionRef> loggedIn = new ConcurrentHashMap<>();
  private volatile boolean draining;

  public LocalSessions(String node) {
    this.node = node;
  }

  /** This node's id, as recorded in presence. */
  public String node() {
    return node;
  }

  /** A session id unique in the cluster: the node id and a per-node counter. */
  String nextSessionId() {
    return node + "." + Long.toString(counter.incrementAndGet(), 36);
  }

  void add(Connection connection) {
    bySession.put(connection.sessionId(), connection);
  }

  void remove(Connection connection) {
    bySession.remove(connection.sessionId(), connection);
    loggedIn.remove(connection.sessionId());
  }

  /** Records that {@code session} logged in on this node, for the periodic presence refresh. */
  void loggedIn(SessionRef session) {
    loggedIn.put(session.session(), session);
  }

  /** A snapshot of the sessions logged in on this node. */
  public Collection<SessionRef> loggedInSessions() {
    return List.copyOf(loggedIn.values());
  }

  public Optional<Connection> find(String session) {
    return Optional.ofNullable(bySession.get(session));
  }

  /** The gate stopped accepting and is kicking its clients: the node is not ready. */
  void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Writes each PUSH to its session's connection, wherever its event loop; the result says per item
   * whether it was written (false for a session that is no longer here).
   */
  public Future<List<Boolean>> push(List<PushItem> items) {
    if (items.size() == 1) {
      return pushOne(items.get(0));
    }
    List<Future<Boolean>> written = new ArrayList<>(items.size());
    for (PushItem item : items) {
      Connection connection = bySession.get(item.session());
      written.add(
          connection == null
              ? Future.succeededFuture(false)
              : connection.push(item.qos(), item.message()));
    }
    return Future.join(written)
        .transform(
            done -> {
              List<Boolean> results = new ArrayList<>(written.size());
              written.forEach(result -> results.add(result.succeeded() && result.result()));
              return Future.succeededFuture(results);
            });
  }

  /**
   * What {@link #push} answers for one item (a single receiver's push, the common case), without
   * the list of futures and the join that several items need.
   */
  private Future<List<Boolean>> pushOne(PushItem item) {
    Connection connection = bySession.get(item.session());
    if (connection == null) {
      return NOT_WRITTEN;
    }
    return connection
        .push(item.qos(), item.message())
        .transform(done -> done.succeeded() && done.result() ? WRITTEN : NOT_WRITTEN);
  }

  /** Connections currently open on this node. */
  public int size() {
    return bySession.size();
  }
}
