package io.courier.gate;

import io.vertx.core.Handler;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * An event loop whose time moves only when a test says so: tasks handed to {@link #run} and timers
 * that come due run, in order, inside {@link #advance}. Single-threaded, like the loop it stands
 * for.
 */
final class ManualLoop implements GateLoop {
  /** The wall clock at time 0: 2026-01-01T00:00:00Z. */
  static final long EPOCH_MS = 1_767_225_600_000L;

  private record Timer(long id, long dueNanos, Handler<Long> handler) {}

  private final Queue<Handler<Void>> tasks = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(Comparator.comparingLong(Timer::dueNanos).thenComparing(Timer::id));
  private final Map<Long, Timer> live = new HashMap<>();
  private long nowNanos;
  private long nextId;

  @Override
  public void run(Handler<Void> task) {
    tasks.add(task);
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    Timer timer = new Timer(++nextId, nowNanos + TimeUnit.MILLISECONDS.toNanos(delayMs), handler);
    timers.add(timer);
    live.put(timer.id(), timer);
    return timer.id();
  }

  @Override
  public void cancelTimer(long id) {
    live.remove(id);
  }

  @Override
  public long nanoTime() {
    return nowNanos;
  }

  @Override
  public long currentTimeMillis() {
    return EPOCH_MS + TimeUnit.NANOSECONDS.toMillis(nowNanos);
  }

  /** Runs the waiting tasks, without moving time. */
  void settle() {
    advance(0);
  }

  /** Moves time {@code ms} ahead, running tasks and each timer at its due time. */
  void advance(long ms) {
    long target = nowNanos + TimeUnit.MILLISECONDS.toNanos(ms);
    runTasks();
    while (!timers.isEmpty() && timers.peek().dueNanos() <= target) {
      Timer timer = timers.poll();
      if (live.remove(timer.id()) != null) {
        nowNanos = timer.dueNanos();
        timer.handler().handle(timer.id());
        runTasks();
      }
    }
    nowNanos = target;
  }

  /** Timers set and neither fired nor cancelled. */
  int liveTimers() {
    return live.size();
  }

  private void runTasks() {
    while (!tasks.isEmpty()) {
      tasks.poll().handle(null);
    }
  }
}
