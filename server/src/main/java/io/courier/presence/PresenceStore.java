package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Online state: at most one live session per {@code (uid, appcode)}, and where it lives.
 *
 * <p>Every operation is atomic with respect to the others on the same {@code (uid, appcode)}, so
 * that a late logout of a replaced session can never remove its successor's record. A failed future
 * means the backing store is unavailable (code 503 to the client).
 */
public interface PresenceStore {

  /**
   * Records {@code session} as the live session of its pair; the result is the record it replaced,
   * or null.
   */
  Future<SessionRef> put(SessionRef session);

  /**
   * Removes the record of the pair only if it is still {@code session}'s; true when it removed it.
   */
  Future<Boolean> remove(SessionRef session);

  /** The live sessions of {@code uid}, one per appcode, ordered by appcode. */
  Future<List<SessionRef>> sessions(String uid);

  /** Removes every record that points at {@code node}; the result is how many. */
  Future<Integer> removeNode(String node);

  /**
   * Keeps the records of these live sessions of one node from expiring, and puts back any that the
   * store lost (unless a newer login of the pair took its place, or the session's removal was asked
   * for meanwhile), in batches. Stores without expiry do nothing. Gates call it periodically for
   * all their sessions — never one write per heartbeat.
   */
  Future<Void> refresh(String node, Collection<SessionRef> sessions);

  /** Releases the store's connections. */
  Future<Void> close();
}
