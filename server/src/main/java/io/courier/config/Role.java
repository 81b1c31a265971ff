package io.courier.config;

import java.util.Locale;

/** A role a node runs ({@code node.roles}); a node runs any subset, by default all of them. */
public enum Role {
  /** The client TCP server, its sessions, heartbeats and limits. */
  GATE,
  /** Login, routing, offline store and the business bridge. */
  LOGIC,
  /** Liveness of the other nodes and the cleanup after a dead one; acts only when clustered. */
  DETECTOR;

  /** The name in the configuration: {@code gate}, {@code logic}, {@code detector}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
