package io.courier.push;

/** Runs a task later, on the push role's context: Vert.x timers, or a test's hand. */
interface Scheduler {
  void schedule(long delayMs, Runnable task);
}
