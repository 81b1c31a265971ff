package io.courier.config;

import java.util.Locale;

/** Where presence records live ({@code presence.backend}). */
public enum PresenceBackend {
  /** Vert.x shared data: a local map on one node, a Hazelcast map in a cluster. */
  SHARED,
  /** Redis, at {@code presence.redisUrl}. */
  REDIS;

  /** The name in the configuration: {@code shared}, {@code redis}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
