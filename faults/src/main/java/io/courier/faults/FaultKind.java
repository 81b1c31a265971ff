package io.courier.faults;

/** The faults the suite injects (docs/faults.md, "Fault kinds"). */
enum FaultKind {
  /** kill -9 of a node, then a new process in its place. */
  KILL,
  /** SIGSTOP of a node for longer than the failure detector's 5 s, then SIGCONT. */
  PAUSE,
  /** A node's link down: cut from its peers, its clients, Redis and MariaDB. */
  ISOLATE,
  /** A node cut from the other two nodes only (a 2/1 split); clients and stores reach all. */
  SPLIT,
  /** A share of the packets between nodes dropped. */
  LOSS,
  /** kill -9 of a MariaDB shard, then started again on its data. */
  DB_KILL,
  /** kill -9 of Redis, then started again, empty. */
  REDIS_KILL,
  /** A node's wall clock moved forward or back, then set right. */
  CLOCK
}
