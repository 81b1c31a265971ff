package io.courier.presence;

import io.vertx.core.AsyncResult;
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

/**
 * Turns single operations submitted from any thread into chunks: each chunk is one request to the
 * store, at most {@code lanes} chunks await their reply at a time, and what is submitted meanwhile
 * waits in a bounded queue and leaves in the next chunk.
 *
 * <p>A lone operation leaves at once, so an idle store adds no latency; a burst (every session of a
 * node closing together) becomes a few chunks instead of one request per operation, and never holds
 * more than {@code lanes} of the client's connections.
 *
 * <p>Each result completes on the context of the thread that submitted it, as the Redis client's
 * own futures do. {@code send} must answer with one result per item, in order, and must complete: a
 * lane is given back only when its chunk's future completes.
 */
final class Coalescer<T, R> {
  private final int chunkSize;
  private final int lanes;
  private final int maxQueued;
  private final Function<List<T>, Future<List<R>>> send;
  private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
  private int busyLanes;

  Coalescer(int chunkSize, int lanes, int maxQueued, Function<List<T>, Future<List<R>>> send) {
    this.chunkSize = chunkSize;
    this.lanes = lanes;
    this.maxQueued = maxQueued;
    this.send = send;
  }

  /** Queues {@code item}; fails at once when {@code maxQueued} items are already waiting. */
  Future<R> submit(T item) {
    Pending<T, R> pending = new Pending<>(item, Vertx.currentContext(), Promise.promise());
    synchronized (this) {
      if (queue.size() >= maxQueued) {
        return Future.failedFuture(
            new IllegalStateException(maxQueued + " operations already wait for the store"));
      }
      queue.add(pending);
    }
    drain();
    return pending.promise.future();
  }

  /** Sends chunks while a lane is free and items wait. */
  private void drain() {
    while (true) {
      List<Pending<T, R>> chunk;
      synchronized (this) {
        if (busyLanes == lanes || queue.isEmpty()) {
          return;
        }
        busyLanes++;
        chunk = new ArrayList<>(Math.min(chunkSize, queue.size()));
        while (chunk.size() < chunkSize && !queue.isEmpty()) {
          chunk.add(queue.poll());
        }
      }
      sendChunk(chunk);
    }
  }

  private void sendChunk(List<Pending<T, R>> chunk) {
    List<T> items = new ArrayList<>(chunk.size());
    chunk.forEach(pending -> items.add(pending.item));
    Future<List<R>> reply;
    try {
      reply = send.apply(items);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        done -> {
          completeByContext(chunk, done);
          synchronized (this) {
            busyLanes--;
          }
          drain();
        });
  }

  /**
   * Completes each operation of {@code chunk} with its result, on its submitter's context: one task
   * per context rather than one per operation (a chunk of lookups usually comes from one or two
   * event loops).
   */
  private static <T, R> void completeByContext(
      List<Pending<T, R>> chunk, AsyncResult<List<R>> done) {
    Map<Context, List<Runnable>> byContext = new IdentityHashMap<>(4);
    for (int i = 0; i < chunk.size(); i++) {
      Pending<T, R> pending = chunk.get(i);
      AsyncResult<R> result =
          done.succeeded()
              ? Future.succeededFuture(done.result().get(i))
              : Future.failedFuture(done.cause());
      Runnable completion = () -> pending.promise.handle(result);
      if (pending.context == null) {
        completion.run();
      } else {
        byContext.computeIfAbsent(pending.context, c -> new ArrayList<>()).add(completion);
      }
    }
    byContext.forEach(
        (context, completions) -> context.runOnContext(v -> completions.forEach(Runnable::run)));
  }

  private record Pending<T, R>(T item, Context context, Promise<R> promise) {}
}
