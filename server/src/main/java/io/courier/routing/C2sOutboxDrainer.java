package io.courier.routing;

import io.courier.contract.Addresses;
import io.courier.contract.Receipts;
import io.courier.contract.Reply;
import io.courier.ops.Tracker;
import io.courier.protocol.Code;
import io.courier.protocol.body.C2sMessage;
import io.courier.protocol.body.Step;
import io.courier.store.C2sOutbox;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the stored qos-1 C2S messages to their consumers: in rounds, each the heads of up to
 * {@value #HEADS_PER_ROUND} queues of the outbox (one sender's messages for one address), each head
 * claimed, handed over and removed once a consumer accepted it, so that the next message of a queue
 * goes only after the one before it (docs/event-bus.md 6, docs/storage.md).
 *
 * <p>Every node with the routing role drains the same outbox; the claim (a lease in the store, of
 * twice the C2S timeout and {@value #LEASE_MARGIN_MS} ms more) lets one node hand a head over at a
 * time. A node that dies holding a claim leaves it to expire, and another node hands the message
 * over again, with the same msgid: the hand-over is at least once, and businesses deduplicate by
 * msgid.
 *
 * <p>How a drainer learns that a consumer appeared: it tries. An address without a consumer is
 * tried again after 100 ms, then after twice as long each time, up to {@code retryMax}; a node that
 * stores a message runs a round at once. Rejected: watching the cluster's registrations, which the
 * bridge and the clustered event bus do not expose, and a trigger from the bridge alone, which
 * would miss a business on the clustered event bus.
 *
 * <p>Not thread-safe: one verticle runs its rounds one after another.
 */
public final class C2sOutboxDrainer {
  static final int HEADS_PER_ROUND = 100;
  static final long LEASE_MARGIN_MS = 5_000;
  static final long FIRST_RETRY_MS = 100;

  private final C2sOutbox outbox;
  private final BusinessConsumers consumers;
  private final Tracker tracker;
  private final Receipts receipts;
  private final C2sOutboxMeter meter;
  private final long leaseMs;
  private final long retryMaxMs;

  /** Per address without a consumer: when to try it again and the wait before that. */
  private final Map<String, long[]> backoff = new HashMap<>();

  public C2sOutboxDrainer(
      C2sOutbox outbox,
      BusinessConsumers consumers,
      Tracker tracker,
      Receipts receipts,
      C2sOutboxMeter meter,
      Duration c2sTimeout,
      Duration retryMax) {
    this.outbox = outbox;
    this.consumers = consumers;
    this.tracker = tracker;
    this.receipts = receipts;
    this.meter = meter;
    this.leaseMs = 2 * c2sTimeout.toMillis() + LEASE_MARGIN_MS;
    this.retryMaxMs = retryMax.toMillis();
  }

  /**
   * One round at {@code now}: hands over the heads whose address is not waiting out a back-off; the
   * result is how long to wait before the next round, in ms (0 after a round that handed something
   * over: its queues may have more).
   */
  public Future<Long> round(long now) {
    return outbox
        .heads(HEADS_PER_ROUND, now)
        .compose(
            heads -> {
              Set<String> seen = new HashSet<>();
              List<Future<Boolean>> handovers =
                  heads.stream()
                      .filter(
                          head -> {
                            String address = address(head.message());
                            seen.add(address);
                            long[] wait = backoff.get(address);
                            return wait == null || wait[0] <= now;
                          })
                      .map(head -> handOver(head, now))
                      .toList();
              return Future.join(handovers)
                  .transform(
                      done -> {
                        backoff.keySet().retainAll(seen);
                        boolean moved =
                            handovers.stream()
                                .anyMatch(handover -> handover.succeeded() && handover.result());
                        return Future.succeededFuture(moved ? 0 : nextWait(now));
                      });
            });
  }

  /** Until the earliest back-off ends, at most {@code retryMax}. */
  private long nextWait(long now) {
    long wait = retryMaxMs;
    for (long[] entry : backoff.values()) {
      wait = Math.min(wait, Math.max(0, entry[0] - now));
    }
    return wait;
  }

  /**
   * Claims, hands over and removes {@code head}: true when it left its queue (a consumer took it,
   * or refused it for good), so that the queue's next message may go at once.
   */
  private Future<Boolean> handOver(C2sOutbox.Waiting head, long now) {
    C2sMessage message = head.message();
    String address = address(message);
    return outbox
        .claim(head, now, now + leaseMs)
        .compose(
            claimed -> {
              if (!claimed) {
                return Future.succeededFuture(false);
              }
              return consumers
                  .request(address, message.toJson())
                  .transform(
                      reply -> {
                        Code code =
                            reply.failed()
                                ? Reply.codeOf(reply.cause())
                                : Routing.consumerCode(reply.result());
                        tracker.handed(message.logid(), message.msgid(), address, code);
                        if (Routing.noConsumerYet(code)) {
                          long[] wait = backoff.computeIfAbsent(address, a -> new long[] {0, 0});
                          wait[1] =
                              wait[1] == 0 ? FIRST_RETRY_MS : Math.min(2 * wait[1], retryMaxMs);
                          wait[0] = now + wait[1];
                          return outbox.release(head).map(false);
                        }
                        backoff.remove(address);
                        return outbox
                            .remove(head)
                            .map(
                                removed -> {
                                  if (code == Code.OK) {
                                    meter.handed();
                                    receipts.publish(message, Step.HANDED);
                                    return true;
                                  }
                                  meter.dropped();
                                  return true;
                                });
                      });
            });
  }

  /** One bounded round of the retention purge: messages stored before {@code before} go. */
  public Future<Integer> purge(long before) {
    return outbox.purge(before).onSuccess(meter::purged);
  }

  private static String address(C2sMessage message) {
    return Addresses.c2s(message.fromAppcode(), message.msgtype());
  }
}
