package io.courier.bench;

/**
 * One attack of {@code bench attack}: set up before the probe's calm phase, run while the probe
 * goes on, then reported. {@link #start()} returns at once; the attack runs on the bench's event
 * loops (and threads of its own) until {@link #stop()}.
 */
interface Attack {
  /** Logs in the attack's users, fills stores …; blocking, before the calm phase. */
  default void prepare() {}

  void start();

  /** True when the attack has nothing left to do before the duration is over. */
  boolean finished();

  /** Stops attacking and closes the attack's connections; blocking. */
  void stop();

  /** The attack's own figures (after {@link #stop()}). */
  void report(Report report);
}
