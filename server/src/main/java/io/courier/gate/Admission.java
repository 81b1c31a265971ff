package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.protocol.Code;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Decides whether a new connection or a LOGIN is let in: the node's connection cap, per source
 * address a connection cap, an accept rate, a login rate and a temporary ban after repeated 401s
 * and frame-rate kicks, and per uid a login rate and a cool-down after a frame-rate kick. One
 * instance per node, shared by its gate verticles.
 *
 * @implNote Thread-safe, one table per node, rather than one per event loop with each limit divided
 *     by the number of loops: Vert.x hands the sockets of one address to the loops in turn, so a
 *     divided per-address cap or failure count would be exact only on average, and small limits (a
 *     ban after a few failures) would not divide at all. The cost is one {@link
 *     ConcurrentHashMap#compute} per accept and per LOGIN, never per frame. Each address's state is
 *     only touched inside {@code compute} on its key, which is what makes it safe without locks of
 *     its own.
 * @implNote The tables are bounded. An address is forgotten once it has no connection and its state
 *     is back to that of a new address (buckets full, no ban, failures out of their window), so
 *     forgetting it weakens no limit; a sweep does this every {@link #SWEEP_INTERVAL_MS}. The table
 *     holds at most {@link AdmissionLimits#maxTracked()} addresses: at most {@code maxConnections}
 *     of them have connections, the rest is recent state. When it is full even after a sweep, a new
 *     address is refused with 503 (fail closed, for as long as the flood of distinct addresses
 *     lasts) rather than admitted untracked, which would let a flood from many addresses escape
 *     every per-address limit, or evicting remembered ones, which would lift bans.
 * @implNote The ban after failures applies to the source address, not to the uid: a ban of a uid
 *     would let anyone who knows a user's uid lock that user out with bad tokens. A uid gets a
 *     login rate only.
 */
public final class Admission {

  /** How often idle addresses and uids are forgotten. */
  static final long SWEEP_INTERVAL_MS = 10_000;

  /** The shortest gap between two sweeps forced by a full table. */
  static final long FULL_SWEEP_GAP_MS = 1_000;

  /** An admission decision: let in, or refused with a protocol code and a reason. */
  enum Verdict {
    ADMITTED(Code.OK, "admitted", "ok"),
    NODE_FULL(Code.UNAVAILABLE, "node_full", "node full, connect to another gate"),
    TABLE_FULL(Code.UNAVAILABLE, "tracking_full", "node busy, retry later"),
    ADDRESS_FULL(Code.RATE_LIMITED, "address_full", "too many connections from this address"),
    ACCEPT_RATE(Code.RATE_LIMITED, "accept_rate", "connecting too fast from this address"),
    BANNED(Code.RATE_LIMITED, "banned", "address banned for a while after failed logins"),
    LOGIN_RATE_ADDRESS(Code.RATE_LIMITED, "login_rate_ip", "too many logins from this address"),
    LOGIN_RATE_UID(Code.RATE_LIMITED, "login_rate_uid", "too many logins for this uid"),
    /** A uid whose connection was kicked with 4005 a moment ago ({@link #flooded}). */
    FLOOD_COOLDOWN(
        Code.RATE_LIMITED, "flood_cooldown", "kicked for sending too fast; wait before logging in"),
    /** A source address an operator banned ({@link OperatorBans}). */
    OPERATOR_BAN_ADDRESS(Code.RATE_LIMITED, "operator_ban", "address banned by operator"),
    /**
     * A uid an operator banned: 403, not 429, since retrying will not help before the ban ends and
     * the client should show it rather than back off and retry.
     */
    OPERATOR_BAN_UID(Code.FORBIDDEN, "operator_ban", "uid banned by operator");

    private final Code code;
    private final String reason;
    private final String msg;

    Verdict(Code code, String reason, String msg) {
      this.code = code;
      this.reason = reason;
      this.msg = msg;
    }

    /** The code the client gets: 429, or 503 when the node cannot take more. */
    Code code() {
      return code;
    }

    /** The metric tag of a refusal. */
    String reason() {
      return reason;
    }

    /** The {@code msg} of the client's ERROR or LOGIN response. */
    String msg() {
      return msg;
    }
  }

  private final AdmissionLimits limits;
  private final LongSupplier clockMs;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AddressState> addresses = new ConcurrentHashMap<>();
  private final Map<String, UidState> uids = new ConcurrentHashMap<>();
  private final AtomicLong lastSweepMs;

  /**
   * @param clockMs a monotonic clock in ms, as {@code System.nanoTime() / 1_000_000}
   */
  Admission(AdmissionLimits limits, LongSupplier clockMs) {
    this.limits = limits;
    this.clockMs = clockMs;
    this.lastSweepMs = new AtomicLong(clockMs.getAsLong());
  }

  /** The node's admission with the limits of {@code config}, on the system's monotonic clock. */
  public static Admission of(CourierConfig config) {
    return new Admission(AdmissionLimits.from(config), () -> System.nanoTime() / 1_000_000);
  }

  AdmissionLimits limits() {
    return limits;
  }

  /**
   * A new connection from {@code address} (see {@link #keyOf}): {@link Verdict#ADMITTED} counts it
   * open until {@link #release}; any other verdict is a refusal and counts nothing.
   */
  Verdict admit(String address) {
    long now = clockMs.getAsLong();
    sweepIfDue(now, SWEEP_INTERVAL_MS);
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      return Verdict.NODE_FULL;
    }
    Verdict verdict = onAddress(address, now, state -> state.admit(now, limits));
    if (verdict == Verdict.TABLE_FULL && sweepIfDue(now, FULL_SWEEP_GAP_MS)) {
      verdict = onAddress(address, now, state -> state.admit(now, limits));
    }
    if (verdict != Verdict.ADMITTED) {
      open.decrementAndGet();
    }
    return verdict;
  }

  /** A connection that {@link #admit} let in has closed. */
  void release(String address) {
    long now = clockMs.getAsLong();
    open.decrementAndGet();
    addresses.computeIfPresent(
        address,
        (key, state) -> {
          state.open--;
          state.lastSeenMs = now;
          return state;
        });
  }

  /** A LOGIN from {@code address} naming {@code uid}: may it go to the login role? */
  Verdict login(String address, String uid) {
    long now = clockMs.getAsLong();
    Verdict verdict = onAddress(address, now, state -> state.login(now));
    if (verdict != Verdict.ADMITTED) {
      return verdict;
    }
    return onUid(
        uid,
        now,
        state -> {
          if (now < state.cooldownUntilMs) {
            return Verdict.FLOOD_COOLDOWN;
          }
          return state.logins.take(now) ? Verdict.ADMITTED : Verdict.LOGIN_RATE_UID;
        });
  }

  /**
   * A connection of {@code uid} from {@code address} was kicked with 4005 for its frame rate: the
   * uid may not log in for {@link AdmissionLimits#floodCooldownMs}, and the kick counts towards a
   * ban of the address like a 401; true when it bans the address.
   *
   * @implNote Without it a kicked client logs in again at once with a fresh frame budget (a burst
   *     of 1,000), so one client flooding across reconnects made the node answer ~10,000 frames a
   *     second (measured with the bench's pull-flood attack). The uid is what is cooled down, not
   *     the address, because a carrier's NAT puts many well-behaved phones behind one address; the
   *     address is banned only if its kicks and failed logins reach the ban threshold.
   */
  boolean flooded(String address, String uid) {
    long now = clockMs.getAsLong();
    onUid(
        uid,
        now,
        state -> {
          state.cooldownUntilMs = now + limits.floodCooldownMs();
          return Verdict.ADMITTED;
        });
    return loginFailed(address);
  }

  /** A LOGIN from {@code address} was refused with 401; true when this failure bans the address. */
  boolean loginFailed(String address) {
    long now = clockMs.getAsLong();
    boolean[] banned = {false};
    onAddress(
        address,
        now,
        state -> {
          banned[0] = state.failed(now, limits);
          return Verdict.ADMITTED;
        });
    return banned[0];
  }

  /** Connections open on the node. */
  int open() {
    return open.get();
  }

  /** Addresses remembered now. */
  int trackedAddresses() {
    return addresses.size();
  }

  /** Uids remembered now. */
  int trackedUids() {
    return uids.size();
  }

  /**
   * The key under which a client's address is limited: an IPv4 address as is; an IPv6 address by
   * its /64 prefix (an IPv4-mapped one as its IPv4 address), because one IPv6 client usually holds
   * a whole /64 and could otherwise spread its connections over countless addresses.
   */
  static String keyOf(String hostAddress) {
    if (hostAddress.indexOf(':') < 0) {
      return hostAddress;
    }
    InetAddress parsed;
    try {
      parsed = InetAddress.getByName(hostAddress);
    } catch (UnknownHostException e) {
      return hostAddress;
    }
    if (parsed instanceof Inet4Address) {
      return parsed.getHostAddress();
    }
    byte[] bytes = parsed.getAddress();
    StringBuilder prefix = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
      prefix.append(':');
    }
    return prefix.append(":/64").toString();
  }

  private Verdict onAddress(String address, long now, Function<AddressState, Verdict> decision) {
    Verdict[] result = {Verdict.TABLE_FULL};
    addresses.compute(
        address,
        (key, state) -> {
          if (state == null) {
            if (addresses.size() >= limits.maxTracked()) {
              return null;
            }
            state = new AddressState(limits, now);
          }
          result[0] = decision.apply(state);
          return state;
        });
    return result[0];
  }

  /**
   * Applies {@code decision} to the state of {@code uid}, made if new; {@link Verdict#TABLE_FULL}
   * when the table is full and the uid unknown.
   */
  private Verdict onUid(String uid, long now, Function<UidState, Verdict> decision) {
    Verdict[] result = {Verdict.TABLE_FULL};
    uids.compute(
        uid,
        (key, state) -> {
          if (state == null) {
            if (uids.size() >= limits.maxTracked()) {
              return null;
            }
            state = new UidState(limits, now);
          }
          state.lastSeenMs = now;
          result[0] = decision.apply(state);
          return state;
        });
    return result[0];
  }

  /** Forgets idle state if the last sweep is at least {@code gapMs} old; true if it swept. */
  private boolean sweepIfDue(long now, long gapMs) {
    long last = lastSweepMs.get();
    if (now - last < gapMs || !lastSweepMs.compareAndSet(last, now)) {
      return false;
    }
    long idleMs = limits.idleMs();
    for (String address : addresses.keySet()) {
      addresses.computeIfPresent(address, (key, state) -> state.idle(now, idleMs) ? null : state);
    }
    long uidIdleMs = AdmissionLimits.BURST_SECONDS * 1000L;
    for (String uid : uids.keySet()) {
      uids.computeIfPresent(
          uid,
          (key, state) ->
              now - state.lastSeenMs >= uidIdleMs && now >= state.cooldownUntilMs ? null : state);
    }
    return true;
  }

  /** What is known of one source address; touched only inside {@code compute} on its key. */
  private static final class AddressState {
    private final TokenBucket accepts;
    private final TokenBucket logins;
    private int open;
    private int failures;
    private long failureWindowEndMs;
    private long bannedUntilMs;
    private long lastSeenMs;

    AddressState(AdmissionLimits limits, long now) {
      accepts =
          new TokenBucket(
              limits.acceptRatePerAddress(),
              AdmissionLimits.burst(limits.acceptRatePerAddress()),
              now);
      logins =
          new TokenBucket(
              limits.loginRatePerAddress(),
              AdmissionLimits.burst(limits.loginRatePerAddress()),
              now);
      failureWindowEndMs = now;
      // never banned yet: not "until now", which a decision carrying an earlier clock reading
      // (taken
      // on another event loop before this state was made) would read as a ban
      bannedUntilMs = Long.MIN_VALUE;
      lastSeenMs = now;
    }

    Verdict admit(long now, AdmissionLimits limits) {
      lastSeenMs = now;
      if (now < bannedUntilMs) {
        return Verdict.BANNED;
      }
      if (open >= limits.maxConnectionsPerAddress()) {
        return Verdict.ADDRESS_FULL;
      }
      if (!accepts.take(now)) {
        return Verdict.ACCEPT_RATE;
      }
      open++;
      return Verdict.ADMITTED;
    }

    Verdict login(long now) {
      lastSeenMs = now;
      if (now < bannedUntilMs) {
        return Verdict.BANNED;
      }
      return logins.take(now) ? Verdict.ADMITTED : Verdict.LOGIN_RATE_ADDRESS;
    }

    /** Counts a 401 in the current window; true when it reaches the threshold and bans. */
    boolean failed(long now, AdmissionLimits limits) {
      lastSeenMs = now;
      if (now >= failureWindowEndMs) {
        failures = 0;
        failureWindowEndMs = now + limits.banMs();
      }
      if (++failures < limits.failuresBeforeBan()) {
        return false;
      }
      failures = 0;
      failureWindowEndMs = now;
      boolean newBan = now >= bannedUntilMs;
      bannedUntilMs = now + limits.banMs();
      return newBan;
    }

    boolean idle(long now, long idleMs) {
      return open == 0 && now >= bannedUntilMs && now - lastSeenMs >= idleMs;
    }
  }

  /** What is known of one uid's logins; touched only inside {@code compute} on its key. */
  private static final class UidState {
    private final TokenBucket logins;
    private long lastSeenMs;
    private long cooldownUntilMs;

    UidState(AdmissionLimits limits, long now) {
      logins =
          new TokenBucket(
              limits.loginRatePerUid(), AdmissionLimits.burst(limits.loginRatePerUid()), now);
      lastSeenMs = now;
    }
  }
}
