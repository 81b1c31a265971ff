package io.courier.admin;

import io.courier.protocol.body.Ban;
import io.courier.protocol.body.BanTarget;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * This node's copy of the operators' bans, read by the gate for every new connection and LOGIN
 * without any remote call. {@link BanStore} keeps the cluster's bans and {@link OperatorVerticle}
 * refreshes this copy from it on every change and periodically.
 *
 * @implNote An immutable snapshot behind a volatile field, replaced whole on each change: reads,
 *     one per accept and per LOGIN on every event loop, take no lock; writes, a few per operator
 *     action, are serialized. A banned uid is a hash lookup; an address is matched against each IP
 *     ban in turn, which suits the tens of blocks an operator places, and costs nothing while there
 *     are none. Expiry is checked at read time against the wall clock (bans cross nodes, so their
 *     end is an instant, not a monotonic reading); expired entries leave at the next refresh.
 */
public final class BanTable {
  private record IpBan(Cidr block, Ban ban) {}

  private record Snapshot(Map<String, Ban> byKey, Map<String, Ban> uids, List<IpBan> ips) {}

  private static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), List.of());

  private final LongSupplier clockMs;
  private volatile Snapshot snapshot = EMPTY;

  /**
   * @param clockMs wall-clock time in ms since the epoch
   */
  public BanTable(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /**
   * The ban of {@code target} with its {@code ip} in canonical form.
   *
   * @throws IllegalArgumentException when the ip is not an address or a block
   */
  public static BanTarget canonical(BanTarget target) {
    return target.ip() == null ? target : BanTarget.ip(Cidr.parse(target.ip()).toString());
  }

  /** The ban in force on {@code uid}, or null. */
  public Ban uidBan(String uid) {
    Ban ban = snapshot.uids().get(uid);
    return ban != null && ban.activeAt(clockMs.getAsLong()) ? ban : null;
  }

  /** The ban in force on the numeric address {@code host} (a block that holds it), or null. */
  public Ban addressBan(String host) {
    List<IpBan> ips = snapshot.ips();
    if (ips.isEmpty()) {
      return null;
    }
    byte[] address = Cidr.literal(host);
    if (address == null) {
      return null;
    }
    long now = clockMs.getAsLong();
    for (IpBan ip : ips) {
      if (ip.ban().activeAt(now) && ip.block().contains(address)) {
        return ip.ban();
      }
    }
    return null;
  }

  /** The bans in force, soonest to end first. */
  public List<Ban> list() {
    long now = clockMs.getAsLong();
    return snapshot.byKey().values().stream()
        .filter(ban -> ban.activeAt(now))
        .sorted(Comparator.comparingLong(Ban::until).thenComparing(ban -> ban.target().key()))
        .toList();
  }

  /**
   * Adds {@code ban}, replacing one of the same target; true when its target was not banned before,
   * so that its sessions must be looked for.
   */
  public synchronized boolean put(Ban ban) {
    Map<String, Ban> next = new HashMap<>(snapshot.byKey());
    Ban previous = next.put(ban.target().key(), ban);
    snapshot = build(next.values());
    return previous == null || !previous.activeAt(clockMs.getAsLong());
  }

  /** Lifts the ban of {@code target}; true when one was in force. */
  public synchronized boolean remove(BanTarget target) {
    Map<String, Ban> next = new HashMap<>(snapshot.byKey());
    Ban removed = next.remove(target.key());
    snapshot = build(next.values());
    return removed != null && removed.activeAt(clockMs.getAsLong());
  }

  /**
   * Replaces every ban with {@code bans}, as read from the cluster; true when one of them bans a
   * target that was not banned before.
   */
  public synchronized boolean replaceAll(Collection<Ban> bans) {
    long now = clockMs.getAsLong();
    Map<String, Ban> before = snapshot.byKey();
    Snapshot next = build(bans);
    snapshot = next;
    for (Ban ban : next.byKey().values()) {
      Ban old = before.get(ban.target().key());
      if (ban.activeAt(now) && (old == null || !old.activeAt(now))) {
        return true;
      }
    }
    return false;
  }

  /** A snapshot of the bans in force; an IP ban whose block does not parse is left out. */
  private Snapshot build(Collection<Ban> bans) {
    long now = clockMs.getAsLong();
    Map<String, Ban> byKey = new HashMap<>();
    Map<String, Ban> uids = new HashMap<>();
    List<IpBan> ips = new ArrayList<>();
    for (Ban ban : bans) {
      if (!ban.activeAt(now)) {
        continue;
      }
      if (ban.target().uid() != null) {
        uids.put(ban.target().uid(), ban);
      } else {
        try {
          ips.add(new IpBan(Cidr.parse(ban.target().ip()), ban));
        } catch (IllegalArgumentException e) {
          continue;
        }
      }
      byKey.put(ban.target().key(), ban);
    }
    return new Snapshot(Map.copyOf(byKey), Map.copyOf(uids), List.copyOf(ips));
  }
}
