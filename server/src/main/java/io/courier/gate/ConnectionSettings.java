package io.courier.gate;

import io.courier.config.CourierConfig;

/**
 * The limits and timeouts of a client connection, read once per gate from the node's configuration.
 *
 * @param maxBodyBytes the largest frame body accepted; a larger one is ERROR 413 and close
 * @param writeQueueBytes bytes queued for writing to one client before the gate stops reading it
 * @param loginTimeoutMs from accept to a successful LOGIN, else close without a frame
 * @param heartbeatSeconds the PING interval the LOGIN response tells the client
 * @param idleTimeoutMs silence after which a logged-in connection is kicked with 4003
 * @param ackTimeoutMs how long a qos-1 PUSH waits for its ack before it is resent
 * @param pushRetries resends of an unacknowledged PUSH before it is left for PULL
 * @param maxPendingBytes bytes queued for one client above which the next frame due closes it
 * @param writeStallMs how long the write queue may stay above {@code writeQueueBytes} before the
 *     connection is closed
 * @param maxUnackedBytes bytes of unacknowledged qos-1 PUSH frames held for one connection
 * @param maxInflight requests of one connection at the logic roles awaiting their answer
 * @param maxFramesPerSecond frames per second a connection may send, sustained
 * @param frameBurst frames a connection may send at once beyond the sustained rate
 * @param c2cPerSecond C2C messages per second one connection (one sender) may send, sustained
 * @param c2cBurst C2C messages a connection may send at once
 */
record ConnectionSettings(
    int maxBodyBytes,
    int writeQueueBytes,
    long loginTimeoutMs,
    int heartbeatSeconds,
    long idleTimeoutMs,
    long ackTimeoutMs,
    int pushRetries,
    long maxPendingBytes,
    long writeStallMs,
    long maxUnackedBytes,
    int maxInflight,
    int maxFramesPerSecond,
    int frameBurst,
    int c2cPerSecond,
    int c2cBurst) {

  static ConnectionSettings from(CourierConfig config) {
    return new ConnectionSettings(
        config.maxBodyBytes(),
        config.writeQueueBytes(),
        config.loginTimeout().toMillis(),
        config.heartbeatSeconds(),
        config.idleTimeout().toMillis(),
        config.ackTimeout().toMillis(),
        config.pushRetries(),
        config.maxPendingBytes(),
        config.writeStall().toMillis(),
        config.maxUnackedBytes(),
        config.maxInflight(),
        config.maxFramesPerSecond(),
        config.frameBurst(),
        config.c2cRatePerSender(),
        config.c2cBurst());
  }
}
