package io.courier.admin;

import io.courier.protocol.body.Revocation;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * This node's copy of the revoked login tokens, read by the login role for every LOGIN and REFRESH
 * and by the gate to find the sessions a revocation ends, without any remote call. The cluster's
 * revocations live in a shared map ({@link OperatorControls}); {@link OperatorVerticle} refreshes
 * this copy from it on every change and periodically.
 *
 * @implNote As {@link BanTable}: an immutable snapshot behind a volatile field, replaced whole on
 *     each change, so reads take no lock. A revocation ends with its token's {@code exp}, checked
 *     at read time against the wall clock; expired ones leave at the next refresh. The table is
 *     thus bounded by the tokens' lifetimes and by {@code tokens.maxRevocations}.
 */
public final class RevocationTable {
  private final LongSupplier clockMs;
  private volatile Map<String, Revocation> snapshot = Map.of();

  /**
   * @param clockMs wall-clock time in ms since the epoch
   */
  public RevocationTable(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** Whether the token {@code jti} of {@code appcode} is revoked. */
  public boolean revoked(int appcode, String jti) {
    Revocation revocation = snapshot.get(Revocation.key(appcode, jti));
    return revocation != null && revocation.activeAt(clockMs.getAsLong());
  }

  /** How many revocations are held, some perhaps just expired. */
  public int size() {
    return snapshot.size();
  }

  /** The revocations in force, soonest to end first. */
  public List<Revocation> list() {
    long now = clockMs.getAsLong();
    return snapshot.values().stream()
        .filter(revocation -> revocation.activeAt(now))
        .sorted(
            Comparator.comparingLong(Revocation::exp).thenComparing(revocation -> revocation.key()))
        .toList();
  }

  /** Adds {@code revocation}; true when its token was not revoked before. */
  public synchronized boolean put(Revocation revocation) {
    long now = clockMs.getAsLong();
    Map<String, Revocation> next = new HashMap<>(snapshot);
    Revocation previous = next.put(revocation.key(), revocation);
    snapshot = inForce(next.values(), now);
    return revocation.activeAt(now) && (previous == null || !previous.activeAt(now));
  }

  /**
   * Replaces every revocation with {@code revocations}, as read from the cluster; true when one of
   * them revokes a token that was not revoked before.
   */
  public synchronized boolean replaceAll(Collection<Revocation> revocations) {
    long now = clockMs.getAsLong();
    Map<String, Revocation> before = snapshot;
    snapshot = inForce(revocations, now);
    for (Revocation revocation : snapshot.values()) {
      Revocation old = before.get(revocation.key());
      if (old == null || !old.activeAt(now)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Revocation> inForce(Collection<Revocation> revocations, long now) {
    Map<String, Revocation> byKey = new HashMap<>();
    for (Revocation revocation : revocations) {
      if (revocation.activeAt(now)) {
        byKey.put(revocation.key(), revocation);
      }
    }
    return Map.copyOf(byKey);
  }
}
