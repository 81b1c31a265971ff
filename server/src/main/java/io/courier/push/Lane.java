package io.courier.push;

import io.courier.protocol.body.PushProvider;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The notifications of one provider: at most {@code concurrency} await their answer at once, at
 * most {@code perSecond} are sent per second, and one answered 429 or 5xx (or not answered) is sent
 * again after a {@link Backoff}, up to {@code retries} times. Each provider has its own lane, so a
 * slow or failing provider holds only its own notifications. Confined to the push role's context.
 *
 * <p>A send not answered within {@code deadlineMs} counts as no answer, whatever the HTTP client
 * does: the senders' own timeouts should answer first, but a place in the lane must never be held
 * for ever.
 */
final class Lane {

  /** Told the final answer of each notification (a {@code RETRY} one has no resend left). */
  interface Listener {
    void done(Notification notification, Answer answer);
  }

  private final PushProvider provider;
  private final NotificationSender sender;
  private final int concurrency;
  private final RateLimit rate;
  private final Backoff backoff;
  private final int retries;
  private final long deadlineMs;
  private final Scheduler scheduler;
  private final LongSupplier nanoClock;
  private final Listener listener;
  private final ArrayDeque<Notification> queue = new ArrayDeque<>();
  private int inflight;
  private int waitingResend;
  private boolean pumpScheduled;

  Lane(
      PushProvider provider,
      NotificationSender sender,
      int concurrency,
      RateLimit rate,
      Backoff backoff,
      int retries,
      long deadlineMs,
      Scheduler scheduler,
      LongSupplier nanoClock,
      Listener listener) {
    this.provider = provider;
    this.sender = sender;
    this.concurrency = concurrency;
    this.rate = rate;
    this.backoff = backoff;
    this.retries = retries;
    this.deadlineMs = deadlineMs;
    this.scheduler = scheduler;
    this.nanoClock = nanoClock;
    this.listener = listener;
  }

  PushProvider provider() {
    return provider;
  }

  void submit(Notification notification) {
    queue.add(notification);
    pump();
  }

  /** Notifications waiting to be sent, awaiting their answer, or waiting to be sent again. */
  int load() {
    return queue.size() + inflight + waitingResend;
  }

  /** Notifications awaiting the provider's answer. */
  int inflight() {
    return inflight;
  }

  private void pump() {
    while (inflight < concurrency && !queue.isEmpty()) {
      long now = nanoClock.getAsLong();
      if (!rate.take(now)) {
        if (!pumpScheduled) {
          pumpScheduled = true;
          long waitMs = Math.max(1, (rate.nanosUntilNext(now) + 999_999) / 1_000_000);
          scheduler.schedule(
              waitMs,
              () -> {
                pumpScheduled = false;
                pump();
              });
        }
        return;
      }
      Notification notification = queue.poll();
      inflight++;
      Promise<Answer> answer = Promise.promise();
      if (deadlineMs > 0) {
        scheduler.schedule(
            deadlineMs,
            () -> answer.tryComplete(Answer.retry(0, "no answer within " + deadlineMs + " ms", 0)));
      }
      sender
          .send(notification)
          .otherwise(failure -> Answer.retry(0, String.valueOf(failure.getMessage()), 0))
          .onSuccess(answer::tryComplete);
      answer.future().onSuccess(answered -> answered(notification, answered));
    }
  }

  private void answered(Notification notification, Answer answer) {
    inflight--;
    if (answer.verdict() == Answer.Verdict.RETRY && notification.attempt() <= retries) {
      waitingResend++;
      scheduler.schedule(
          backoff.delayMs(notification.attempt(), answer.retryAfterMs()),
          () -> {
            waitingResend--;
            queue.add(notification.retry());
            pump();
          });
    } else {
      listener.done(notification, answer);
    }
    pump();
  }
}
