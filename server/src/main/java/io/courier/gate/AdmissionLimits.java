package io.courier.gate;

import io.courier.config.CourierConfig;

/**
 * The limits of {@link Admission}, read once per node from its configuration. Every rate is a token
 * bucket whose burst is {@link #BURST_SECONDS} seconds' worth of its rate.
 *
 * @param maxConnections open connections on the node; beyond it a new one gets ERROR 503
 * @param maxConnectionsPerAddress open connections from one source address; beyond it ERROR 429
 * @param acceptRatePerAddress new connections per second from one source address
 * @param loginRatePerAddress LOGIN attempts per second from one source address
 * @param loginRatePerUid LOGIN attempts per second naming one uid, from any address
 * @param failuresBeforeBan 401s from one address within {@code banMs} that ban it
 * @param banMs how long a ban lasts, and the window in which its failures are counted
 * @param floodCooldownMs how long a uid kicked for its frame rate may not log in
 */
record AdmissionLimits(
    int maxConnections,
    int maxConnectionsPerAddress,
    int acceptRatePerAddress,
    int loginRatePerAddress,
    int loginRatePerUid,
    int failuresBeforeBan,
    long banMs,
    long floodCooldownMs) {

  /** Each bucket holds this many seconds of its rate, so a short burst passes. */
  static final int BURST_SECONDS = 2;

  /**
   * Addresses and uids remembered beyond those with open connections: the state of idle ones that
   * still matters (a ban, recent failures, a bucket not yet refilled).
   */
  static final int EXTRA_TRACKED = 65_536;

  static AdmissionLimits from(CourierConfig config) {
    return new AdmissionLimits(
        config.gateMaxConnections(),
        config.gateMaxConnectionsPerIp(),
        config.gateAcceptRatePerIp(),
        config.gateLoginRatePerIp(),
        config.gateLoginRatePerUid(),
        config.gateLoginFailuresBeforeBan(),
        config.gateLoginBanSeconds() * 1000L,
        config.gateFloodCooldownSeconds() * 1000L);
  }

  /** Most entries in each of the address and uid tables. */
  int maxTracked() {
    return maxConnections + EXTRA_TRACKED;
  }

  /**
   * How long an address without connections is remembered after it was last seen: until its buckets
   * are full again and its failures have left the window, so forgetting it changes nothing.
   */
  long idleMs() {
    return Math.max(BURST_SECONDS * 1000L, banMs);
  }

  static int burst(int perSecond) {
    return (int) Math.min(Integer.MAX_VALUE, (long) perSecond * BURST_SECONDS);
  }
}
