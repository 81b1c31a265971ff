package io.courier.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the writes that arrive while a transaction runs wait in a queue, and the next
 * transaction commits all of them, so the price of a commit (a sync of RocksDB's write-ahead log, a
 * redo log flush in MySQL) is paid once per batch rather than once per message. A request's future
 * completes only after the transaction that holds it has committed, on the context of the caller.
 *
 * <p>One transaction runs at a time. A request that finds the store idle starts one at once, so a
 * lone write waits for nothing; under load the batches grow by themselves to what arrived during
 * the previous commit, up to {@code maxBatch}. The queue holds at most {@code maxQueued} requests:
 * one more fails at once with {@link StoreOverloadedException} rather than growing memory.
 *
 * <p>A failed batch is retried one request per transaction, so that a request the database refuses
 * (a poison request) fails alone and the others commit. Failing the whole batch was rejected: it
 * would answer 503 to every sender in the batch for one sender's bad input. The retry is safe
 * because every write is idempotent, even one whose first commit succeeded without the store
 * hearing of it. Two requests failing in a row means the database itself is failing: the rest of
 * the batch then fails with that cause without being tried, so an unreachable database costs two
 * more attempts, not one per request. Bisecting the batch was rejected too: it finds a poison
 * request in fewer transactions, but makes up to twice as many attempts as there are requests when
 * the database is down.
 */
final class GroupCommit {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /**
   * One write waiting for its commit. The transaction sets its result, which is delivered after the
   * commit.
   */
  abstract static class Request<T> {
    private final Promise<T> promise = Promise.promise();
    private final Context context = Vertx.currentContext();
    private T result;
    private RuntimeException refusal;

    final void result(T value) {
      result = value;
    }

    /**
     * Fails this request alone once its batch commits: the transaction wrote nothing of it (a
     * refusal of the request, not a failure of the batch).
     */
    final void refuse(RuntimeException cause) {
      refusal = cause;
    }

    final Future<T> future() {
      return promise.future();
    }

    /** Forgets what a failed attempt of the transaction set. */
    private void reset() {
      result = null;
      refusal = null;
    }

    private void succeed() {
      complete(this::handleCommitted);
    }

    /** Completes the promise with what the committed transaction set; on the request's context. */
    private void handleCommitted() {
      T value = result;
      RuntimeException refused = refusal;
      promise.handle(
          refused == null ? Future.succeededFuture(value) : Future.failedFuture(refused));
    }

    private void fail(Throwable cause) {
      complete(() -> promise.fail(cause));
    }

    private void complete(Runnable completion) {
      if (context == null) {
        completion.run();
      } else {
        context.runOnContext(v -> completion.run());
      }
    }
  }

  /** Runs of one transaction after a transient failure, beyond the first. */
  static final int TRANSIENT_RETRIES = 3;

  private final int maxQueued;
  private final int maxBatch;
  private final Function<List<Request<?>>, Future<Void>> transaction;
  private final Predicate<Throwable> transientFailure;
  private final ArrayDeque<Request<?>> queue = new ArrayDeque<>();
  private final Promise<Void> drained = Promise.promise();
  private boolean running;
  private boolean closed;

  /**
   * @param transaction runs the requests of a batch in one transaction and sets their results; its
   *     future succeeds once the transaction has committed
   */
  GroupCommit(int maxQueued, int maxBatch, Function<List<Request<?>>, Future<Void>> transaction) {
    this(maxQueued, maxBatch, transaction, failure -> false);
  }

  /**
   * @param transientFailure a failure after which the database rolled the whole transaction back
   *     and the same transaction may succeed at once (a deadlock between writers of several nodes
   *     on one MySQL shard): it is run again, up to {@value #TRANSIENT_RETRIES} times, before it
   *     counts as a failure of the batch
   */
  GroupCommit(
      int maxQueued,
      int maxBatch,
      Function<List<Request<?>>, Future<Void>> transaction,
      Predicate<Throwable> transientFailure) {
    this.maxQueued = maxQueued;
    this.maxBatch = maxBatch;
    this.transaction = transaction;
    this.transientFailure = transientFailure;
  }

  /** Queues {@code request} for the next commit; safe to call from any thread. */
  <T> Future<T> submit(Request<T> request) {
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("message store is closed"));
      }
      if (queue.size() >= maxQueued) {
        return Future.failedFuture(new StoreOverloadedException(maxQueued));
      }
      queue.add(request);
      if (running) {
        return request.future();
      }
      running = true;
    }
    next();
    return request.future();
  }

  /** Refuses new requests; completes when the ones already queued have been committed or failed. */
  Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (!running) {
        drained.tryComplete();
      }
    }
    return drained.future();
  }

  private void next() {
    List<Request<?>> batch;
    synchronized (this) {
      if (queue.isEmpty()) {
        running = false;
        if (closed) {
          drained.tryComplete();
        }
        return;
      }
      batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
    }
    commit(batch).onComplete(done -> next());
  }

  /** Commits {@code batch} and completes every request of it; never fails. */
  private Future<Void> commit(List<Request<?>> batch) {
    return attempt(batch)
        .transform(
            committed -> {
              if (committed.succeeded()) {
                succeedAll(batch);
                return Future.succeededFuture();
              }
              if (batch.size() == 1) {
                batch.get(0).fail(committed.cause());
                return Future.succeededFuture();
              }
              LOG.warn(
                  "a batch of {} writes failed, retrying them one by one: {}",
                  batch.size(),
                  committed.cause().toString());
              return isolate(batch, 0, false);
            });
  }

  /**
   * Completes the requests of a committed batch with one task per Vert.x context, each completing
   * its context's requests in batch order.
   *
   * @implNote One task per request was rejected: a qos-1 S2C makes two writes (the offline row,
   *     then its removal at the PUSH ack), and a task per write cost the writer thread an
   *     event-loop wake-up ({@code eventfd} write) and the event loop a task each: 13 % of the
   *     writer thread's samples in native code in the profile of S2C at qos 1. The requests of one
   *     context were completed in that order before, by tasks queued one after another.
   */
  private static void succeedAll(List<Request<?>> batch) {
    Map<Context, List<Request<?>>> byContext = new IdentityHashMap<>();
    for (Request<?> request : batch) {
      if (request.context == null) {
        request.handleCommitted();
      } else {
        byContext.computeIfAbsent(request.context, context -> new ArrayList<>()).add(request);
      }
    }
    byContext.forEach(
        (context, requests) ->
            context.runOnContext(
                v -> {
                  for (Request<?> request : requests) {
                    try {
                      request.handleCommitted();
                    } catch (RuntimeException e) {
                      // the others of this context are completed still, as separate tasks were
                      LOG.error("a write's completion handler failed", e);
                    }
                  }
                }));
  }

  private Future<Void> isolate(List<Request<?>> batch, int index, boolean previousFailed) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    Request<?> request = batch.get(index);
    return attempt(List.of(request))
        .transform(
            committed -> {
              if (committed.succeeded()) {
                request.succeed();
                return isolate(batch, index + 1, false);
              }
              if (previousFailed) {
                batch.subList(index, batch.size()).forEach(rest -> rest.fail(committed.cause()));
                return Future.succeededFuture();
              }
              request.fail(committed.cause());
              // a conflict refuses one request and says nothing of the database
              return isolate(
                  batch, index + 1, !(committed.cause() instanceof MsgidConflictException));
            });
  }

  private Future<Void> attempt(List<Request<?>> batch) {
    return attempt(batch, 0);
  }

  private Future<Void> attempt(List<Request<?>> batch, int retries) {
    batch.forEach(Request::reset);
    Future<Void> committed;
    try {
      committed = transaction.apply(batch);
    } catch (RuntimeException e) {
      committed = Future.failedFuture(e);
    }
    return committed.recover(
        cause ->
            retries < TRANSIENT_RETRIES && transientFailure.test(cause)
                ? attempt(batch, retries + 1)
                : Future.failedFuture(cause));
  }
}
