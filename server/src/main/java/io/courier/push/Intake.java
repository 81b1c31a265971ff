package io.courier.push;

import io.courier.config.CourierConfig;
import io.courier.message.Message;
import io.courier.ops.NotifyResult;
import io.courier.ops.Tracker;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's {@link Notifier}: takes triggers from any thread into a bounded queue that the push
 * role drains. Never blocks: a trigger that finds the queue full is dropped, counted ({@code
 * overflow}) and traced; one whose rule is {@code never} is not queued at all. Until the push role
 * has started with at least one provider configured ({@link #drainWith}), triggers are ignored: a
 * node that sends no notifications spends nothing on them.
 *
 * @implNote The queue holds triggers without content, so its bound bounds its memory too (about 200
 *     bytes a trigger). The drainer is woken once per batch: a flag set by the first trigger after
 *     a drain began, so a burst of triggers costs one hop to the push role's context.
 */
public final class Intake implements Notifier {
  private final WakeRules rules;
  private final ArrayBlockingQueue<Trigger> queue;
  private final Tracker tracker;
  private final AtomicBoolean signalled = new AtomicBoolean();
  private volatile Runnable drainer;

  Intake(WakeRules rules, int capacity, Tracker tracker) {
    this.rules = rules;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.tracker = tracker;
  }

  /** The intake of a node: {@code push.rules}, a queue of {@code push.queueSize}. */
  public static Intake of(CourierConfig config, Tracker tracker) {
    return new Intake(new WakeRules(config.pushRules()), config.pushQueueSize(), tracker);
  }

  @Override
  public void stored(Message message) {
    offer(message, Trigger.Cause.STORED);
  }

  @Override
  public void unacked(Message message) {
    offer(message, Trigger.Cause.UNACKED);
  }

  private void offer(Message message, Trigger.Cause cause) {
    if (drainer == null) {
      return;
    }
    Trigger trigger = rules.decide(message, cause);
    if (trigger == null) {
      return;
    }
    if (!queue.offer(trigger)) {
      tracker.notifyFailed(
          message, null, null, NotifyResult.OVERFLOW, "the node's notification queue is full");
      return;
    }
    signal();
  }

  /**
   * Runs {@code drainer} (which must only schedule the drain, it is called on the triggers'
   * threads) whenever triggers arrive after a drain began; at once if some wait already.
   */
  void drainWith(Runnable drainer) {
    this.drainer = drainer;
    signalled.set(false);
    signal();
  }

  /** The drainer starts: triggers offered from now on signal it again. */
  void draining() {
    signalled.set(false);
  }

  /** The oldest trigger, or null when none waits. */
  Trigger poll() {
    return queue.poll();
  }

  int size() {
    return queue.size();
  }

  private void signal() {
    Runnable drain = drainer;
    if (drain != null && !queue.isEmpty() && signalled.compareAndSet(false, true)) {
      drain.run();
    }
  }
}
