package io.courier.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} and a clock the test moves by hand: tasks run when their time comes. */
final class ManualScheduler implements Scheduler {
  private record Task(long at, long order, Runnable task) {}

  private final List<Task> tasks = new ArrayList<>();
  private long nowMs;
  private long order;

  @Override
  public void schedule(long delayMs, Runnable task) {
    tasks.add(new Task(nowMs + delayMs, order++, task));
  }

  long nowMs() {
    return nowMs;
  }

  long nowNanos() {
    return nowMs * 1_000_000;
  }

  /** The delays of the tasks waiting, from now, in order of their time. */
  List<Long> waiting() {
    return tasks.stream().map(task -> task.at() - nowMs).sorted().toList();
  }

  /** Moves the clock {@code ms} on, running every task whose time comes, in time order. */
  void advance(long ms) {
    long until = nowMs + ms;
    while (true) {
      Task next =
          tasks.stream()
              .filter(task -> task.at() <= until)
              .min(Comparator.comparingLong(Task::at).thenComparingLong(Task::order))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      nowMs = next.at();
      next.task().run();
    }
    nowMs = until;
  }
}
