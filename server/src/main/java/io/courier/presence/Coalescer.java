package io.courier.presence;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
          for (int i = 0; i < chunk.size(); i++) {
            chunk
                .get(i)
                .complete(
                    done.succeeded()
                        ? Future.succeededFuture(done.result().get(i))
                        : Future.failedFuture(done.cause()));
          }
          synchronized (this) {
            busyLanes--;
          }
          drain();
        });
  }

  private record Pending<T, R>(T item, Context context, Promise<R> promise) {
    void complete(AsyncResult<R> result) {
      if (context == null) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    }
  }
}
