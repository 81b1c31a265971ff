package io.courier.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How single operations become chunks: without a store, the chunks answered by hand. */
class CoalescerTest {
  /** The chunks sent and not yet answered, in the order they were sent. */
  private final List<Chunk> sent = new ArrayList<>();

  private final Coalescer<Integer, String> coalescer =
      new Coalescer<>(
          3,
          2,
          10,
          items -> {
            Chunk chunk = new Chunk(List.copyOf(items), Promise.promise());
            sent.add(chunk);
            return chunk.reply.future();
          });

  @Test
  void aLoneOperationLeavesAtOnce() {
    Future<String> result = coalescer.submit(1);
    assertEquals(List.of(List.of(1)), items());
    sent.get(0).answer();
    assertEquals("done 1", result.result());
  }

  @Test
  void operationsArrivingWhileEveryLaneIsBusyLeaveTogetherInBoundedChunks() {
    List<Future<String>> results = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      results.add(coalescer.submit(i));
    }
    assertEquals(List.of(List.of(1), List.of(2)), items(), "two lanes, then the others wait");

    sent.get(0).answer();
    assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4, 5)), items());
    sent.get(1).answer();
    assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4, 5), List.of(6, 7)), items());
    sent.get(2).answer();
    sent.get(3).answer();
    for (int i = 1; i <= 7; i++) {
      assertEquals("done " + i, results.get(i - 1).result());
    }
  }

  @Test
  void aFailedChunkFailsOnlyItsOwnOperations() {
    Future<String> first = coalescer.submit(1);
    Future<String> second = coalescer.submit(2);
    Future<String> third = coalescer.submit(3);
    sent.get(0).reply.fail("connection closed");
    assertEquals("connection closed", first.cause().getMessage());
    sent.get(1).answer();
    sent.get(2).answer();
    assertEquals("done 2", second.result());
    assertEquals("done 3", third.result());
  }

  @Test
  void aFullQueueFailsAtOnce() {
    coalescer.submit(0);
    coalescer.submit(0);
    for (int i = 0; i < 10; i++) {
      coalescer.submit(i);
    }
    Future<String> overflow = coalescer.submit(99);
    assertTrue(overflow.failed());
    assertEquals("10 operations already wait for the store", overflow.cause().getMessage());
  }

  @Test
  void resultsCompleteOnTheContextThatSubmitted() throws TimeoutException {
    Vertx vertx = Vertx.vertx();
    try {
      Context submitter = vertx.getOrCreateContext();
      Promise<Void> submitted = Promise.promise();
      Promise<Context> completedOn = Promise.promise();
      submitter.runOnContext(
          v -> {
            coalescer.submit(1).onComplete(done -> completedOn.complete(Vertx.currentContext()));
            submitted.complete();
          });
      submitted.future().await(5, TimeUnit.SECONDS);
      sent.get(0).answer();
      assertSame(submitter, completedOn.future().await(5, TimeUnit.SECONDS));
    } finally {
      vertx.close().await();
    }
  }

  private List<List<Integer>> items() {
    return sent.stream().map(Chunk::items).toList();
  }

  private record Chunk(List<Integer> items, Promise<List<String>> reply) {
    void answer() {
      reply.complete(items.stream().map(i -> "done " + i).toList());
    }
  }
}
